"""The baseline alone: the bare view and the press page through gunicorn (production settings)."""

from bench.common import bench_database, get, gunicorn, production_env, report, timed


def run() -> None:
    with (
        bench_database("baseline") as (url, _reused),
        gunicorn(production_env(url)) as (host, port),
    ):
        bare = timed(lambda: get(host, port, "/bench/bare"), runs=500)
        report("bare Django view", bare)
        report("press page /", timed(lambda: get(host, port, "/"), runs=500), bare)
        report(
            "/healthz (database + Redis)",
            timed(lambda: get(host, port, "/healthz"), runs=500),
            bare,
        )
