"""Background tasks (django-tasks): the database backend in production, immediate in
development and tests."""

from django_tasks import task

from appointments import notify


@task()
def deliver_notification(notification_id: str) -> str:
    return notify.deliver(notification_id)
