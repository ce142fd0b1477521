"""iCalendar files: one per intervention, and the calendar of interventions to come."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from ..model.kb import InformationKind, InformationPost
from ..model.urls import post_url
from .post_state import PostState, post_times, state

RECENT_DAYS = 30  # finished interventions stay this long in the calendar, so clients see them end


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Portail//Informations en direct//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    return calendar


def _event(post: InformationPost, site_url: str, now: datetime) -> Event:
    times = post_times(post)
    assert times.start is not None and times.end is not None
    url = site_url + post_url(post)
    event = Event()
    event.add("uid", url)
    event.add("dtstamp", now)
    event.add("summary", post.title)
    event.add("dtstart", times.start)
    event.add("dtend", times.end)
    event.add("url", url)
    event.add("description", f"{post.body.strip()}\n\n{url}")
    if post.products:
        event.add("categories", list(post.products))
    return event


def intervention_calendar(post: InformationPost, site_url: str, now: datetime) -> bytes:
    calendar = _calendar(post.title)
    calendar.add_component(_event(post, site_url, now))
    calendar.add_missing_timezones()  # RFC 5545: a TZID needs its VTIMEZONE
    return calendar.to_ical()


def interventions_calendar(posts: list[InformationPost], site_url: str, now: datetime) -> bytes:
    """Interventions to come or under way, and those finished in the last days."""
    calendar = _calendar("Interventions planifiées")
    for post in sorted(posts, key=lambda p: p.start or p.published):
        if post.kind is not InformationKind.INTERVENTION or post.start is None or post.end is None:
            continue
        end = post_times(post).end
        recent = end is not None and end > now - timedelta(days=RECENT_DAYS)
        if state(post, now) is not PostState.DONE or recent:
            calendar.add_component(_event(post, site_url, now))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def schedulable(post: InformationPost) -> bool:
    return post.kind is InformationKind.INTERVENTION and post.start is not None and post.end is not None
