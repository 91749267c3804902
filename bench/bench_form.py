"""The public enquiry form under load: valid submissions from many client addresses (half
from journalists the desk already knows), through gunicorn with production settings on
PostgreSQL and Redis, beside the bare Django view measured in the same run.

Fails (non-zero exit) unless the database holds exactly one new enquiry per valid
submission sent, and one new journalist per new address. See bench/formload.py for how the
submissions are made; the desk benchmark (bench_queue) measures the same at full scale.

make bench BENCH=bench_form         (BENCH_WRK_SECONDS=10)
"""

from bench.bench_queue import form_posts
from bench.common import bench_database, gunicorn, production_env
from bench.formload import CLIENT_IP_META
from bench.load import wrk
from bench.seed import seed


def run() -> None:
    with bench_database("form") as (url, _reused):
        seeded = seed(url, scale=10_000)
        env = production_env(url, PRESSDESK_CLIENT_IP_HEADER=CLIENT_IP_META)
        with gunicorn(env, workers=3) as (host, port):
            bare = wrk(f"http://{host}:{port}/bench/bare")
            form = form_posts(url, env, host, port, {"known_emails": seeded.known_emails})
    print(f"bare Django view          {bare['rps']:7.0f}/s  p50 {bare['p50']:6.1f} ms")
    closed = form["wrk"]
    print(
        f"valid form submissions    {closed['rps']:7.0f}/s  p50 {closed['p50']:6.1f} ms  "
        f"p99 {closed['p99']:6.1f} ms  ({bare['rps'] / closed['rps']:.1f}x bare)",
        flush=True,
    )
