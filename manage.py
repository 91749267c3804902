#!/usr/bin/env python
from pressdesk.__main__ import main

if __name__ == "__main__":
    main()
