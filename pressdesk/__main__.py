"""Management commands for an installed Pressdesk: `pressdesk migrate`, `python -m pressdesk check`.

The same entry point as manage.py in a checkout, with the settings module defaulting to ours.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if argv[0].endswith("__main__.py"):  # Django would call itself "python -m django"
        argv[0] = "python -m pressdesk"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
