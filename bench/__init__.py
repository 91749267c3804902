"""`make bench`: performance figures, never part of `make test`.

Every figure is printed beside a bare Django view measured in the same run, because this
machine is noisy: compare the ratios from run to run, not the milliseconds.
"""
