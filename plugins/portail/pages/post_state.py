"""What an information post says at a given moment: its state, label, and whether it belongs
to « Informations en direct » or to « Historique des informations ».

The same rules run in the browser (assets/portail.js) from the ISO times the page carries
(``post_times``), so a page built before an intervention still reads right after it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..model.kb import InformationKind, InformationPost

INFORMATION_LIVE_DAYS = 30  # an information without `expires` leaves the live part after this


class PostState(enum.Enum):
    UPCOMING = "upcoming"
    ONGOING = "ongoing"
    DONE = "done"
    OPEN = "open"
    RESOLVED = "resolved"
    ACTIVE = "active"
    EXPIRED = "expired"


LIVE_STATES = (PostState.UPCOMING, PostState.ONGOING, PostState.OPEN, PostState.ACTIVE)
STATES_OF = {
    InformationKind.INTERVENTION: (PostState.UPCOMING, PostState.ONGOING, PostState.DONE),
    InformationKind.INCIDENT: (PostState.OPEN, PostState.RESOLVED),
    InformationKind.INFORMATION: (PostState.ACTIVE, PostState.EXPIRED),
}
_LABELS = {
    PostState.UPCOMING: "Intervention à venir",
    PostState.ONGOING: "Intervention en cours",
    PostState.DONE: "Intervention terminée",
    PostState.OPEN: "Incident en cours",
    PostState.RESOLVED: "Incident résolu",
}


@dataclass(frozen=True)
class PostTimes:
    """The moments at which a post changes state (None: never)."""

    start: datetime | None  # intervention: becomes « en cours »
    end: datetime | None  # intervention: becomes « terminée » (actual end, else planned end)
    resolved: datetime | None  # incident: becomes « résolu »
    expires: datetime | None  # information: leaves the live part


def post_times(post: InformationPost) -> PostTimes:
    expires = None
    if post.kind is InformationKind.INFORMATION:
        expires = post.expires or post.published + timedelta(days=INFORMATION_LIVE_DAYS)
    return PostTimes(post.start, post.actual_end or post.end, post.resolved, expires)


def state(post: InformationPost, now: datetime) -> PostState:
    times = post_times(post)
    if post.kind is InformationKind.INTERVENTION:
        if times.start is not None and now < times.start:
            return PostState.UPCOMING
        if times.end is None or now < times.end:
            return PostState.ONGOING
        return PostState.DONE
    if post.kind is InformationKind.INCIDENT:
        return PostState.RESOLVED if times.resolved is not None and now >= times.resolved else PostState.OPEN
    return PostState.ACTIVE if times.expires is None or now < times.expires else PostState.EXPIRED


def label(post: InformationPost, post_state: PostState) -> str:
    """« Intervention à venir », « Incident résolu », « Information », or the writer's own."""
    if post.kind is InformationKind.INFORMATION:
        return post.label or "Information"
    return _LABELS[post_state]


def is_live(post: InformationPost, now: datetime) -> bool:
    """In « Informations en direct »: pinned, upcoming, ongoing, or an unexpired information."""
    return post.pinned or state(post, now) in LIVE_STATES


def live_order(posts: list[InformationPost]) -> list[InformationPost]:
    """Pinned first, then the most recently published."""
    return sorted(posts, key=lambda p: (not p.pinned, -p.published.timestamp()))


def last_change(post: InformationPost) -> datetime:
    """The latest moment the post changed: publication, an update, its end or resolution."""
    moments = [post.published, *(u.at for u in post.updates)]
    moments += [m for m in (post.actual_end, post.resolved) if m is not None]
    return max(moments)
