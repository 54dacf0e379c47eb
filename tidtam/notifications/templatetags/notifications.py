"""``{% notifications_link %}``: the navigation link to one's notifications, unread count shown."""

from __future__ import annotations

from typing import Any

from django import template

from tidtam.notifications.models import Notification

register = template.Library()


@register.inclusion_tag("notifications/_nav.html", takes_context=True)
def notifications_link(context: Any) -> dict[str, Any]:
    user = context.get("user")
    unread = 0
    if user is not None and user.is_authenticated:
        unread = Notification.objects.filter(user=user, shown=True, read_at__isnull=True).count()
    return {"unread": unread}
