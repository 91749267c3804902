"""Queue a Celery task by name, so a service never imports the tasks that call it (the tasks
import the services: the dependency goes one way)."""

import logging

from celery import current_app

logger = logging.getLogger(__name__)


def dispatch(task_name: str, object_id: int) -> None:
    """Queue `task_name(object_id)`; if the broker is down, the row waits for the sweeper."""
    try:
        # The registered task (EnquiriesConfig.ready imports them), so an eager configuration
        # (the laptop default) runs it in-process; send_task would not.
        current_app.tasks[task_name].delay(object_id)
    except Exception as exc:  # any broker failure: the row is safe, and the sweeper will retry
        logger.warning(
            "%s %s: broker unavailable (%s), left for the sweeper",
            task_name,
            object_id,
            type(exc).__name__,
        )
