"""Run every benchmark module in bench/ (a module named bench_*.py with a `run()`), in order.

make bench                      # all of them
make bench BENCH=bench_queue    # one of them
BENCH_SCALE=10000 make bench BENCH=bench_queue   # the desk at 10,000 enquiries (quick)

Each run makes databases of its own (pressdesk_bench_<purpose>_<pid>_<time>) and drops them;
BENCH_KEEP_DB=1 keeps them and prints their names; BENCH_DB=<name> measures a kept desk
database again without seeding (bench_queue only). BENCH_REDIS_URL picks the Redis database
(default redis://127.0.0.1:6379/14); give concurrent runs different ones.
"""

import importlib
import os
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    wanted = [name for name in os.environ.get("BENCH", "").split(",") if name]
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if info.name.startswith("bench_")
    )
    unknown = set(wanted) - set(names)
    if unknown:
        print(f"bench: no such benchmark: {', '.join(sorted(unknown))} (have: {', '.join(names)})")
        return 2
    failed = []
    for name in wanted or names:
        print(f"\n=== {name} ===", flush=True)
        try:
            importlib.import_module(f"bench.{name}").run()
        except RuntimeError as exc:  # a failed check (stored != sent, a wrong answer, ...)
            print(f"FAILED {name}: {exc}", flush=True)
            failed.append(name)
    if failed:
        print(f"\nbench: failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
