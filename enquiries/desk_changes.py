"""The desk's change counter: any committed write to a table the queue shows moves it.

Installed on every database connection (EnquiriesConfig.ready), so it sees every write
however it is made: the ORM, `.update()`, raw SQL in the purge, in a web process, a worker
or a command. After the transaction commits (never for a rolled-back one) the version in
the shared cache is replaced, which invalidates every cached first page of the queue
(desk_page_cache). Cache errors are swallowed: the cached pages expire on their own.
"""

import logging
import re
import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

VERSION_KEY = "desk:version"
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|TRUNCATE)\b", re.IGNORECASE)
# What the queue's first page shows: enquiries and their people, categories and outlets,
# FOI routings, rights requests (counted) and officers (names, and who may use the desk).
_SHOWN = re.compile(
    r"\b\"?(enquiries_(enquiry|journalist|outlet|topiccategory|foirouting|rightsrequest)"
    r"|auth_(user|user_groups|user_user_permissions|group_permissions))\"?(\s|$|\()",
    re.IGNORECASE,
)


def changes_the_desk(sql: str) -> bool:
    return bool(_WRITE.match(sql)) and bool(_SHOWN.search(sql))


def bump() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except RedisError:
        logger.warning("cache unavailable; cached desk pages expire on their own")


def current() -> str | None:
    """The version now, made if there is none yet (so a page can be cached against it)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def _watch(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    result = execute(sql, params, many, context)
    if changes_the_desk(sql):
        connection = context["connection"]
        # Once per transaction: a bump already waiting for this commit covers this write.
        if not any(callback is bump for _sids, callback, _robust in connection.run_on_commit):
            transaction.on_commit(bump, using=connection.alias)
    return result


def install(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    """connection_created handler: watch this connection's writes."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)
