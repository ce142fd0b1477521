"""« Fil d'information » pages, one page per post, and the data the home page shows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..model.fr import time_slot
from ..model.kb import InformationKind, InformationPost, KnowledgeBase, Product
from ..model.urls import (
    feed_url,
    informations_index,
    informations_product_url,
    interventions_calendar_url,
    paged_title,
    paginate,
    post_url,
)
from .faq import Chip
from .post_state import STATES_OF, PostState, is_live, label, live_order, post_times, state
from .render import Crumb, GeneratedPage, Renderer, search_meta

FEED_TITLE = "Informations en direct (Atom)"
INFORMATIONS_TITLE = "Fil d'information"
TYPE_INFORMATION = "information"
# Past posts per page of « Historique des informations ». A post weighs about 1 KB (the times
# and labels the browser needs to recompute it), and the first page also holds the live part:
# measured at 5,000 pages, 9 live posts and 20 past ones make a page of 41 KB.
HISTORY_PAGE_SIZE = 20


@dataclass(frozen=True)
class PostView:
    """A post as a page shows it at build time, with what the browser needs to recompute it."""

    post: InformationPost
    state: PostState
    label: str
    live: bool
    products: tuple[Product, ...]
    times: dict[str, str]  # ISO moments the browser compares with its clock
    labels: dict[str, str]  # label of every state this kind of post can take
    slot: str | None = None  # « le 5 décembre de 12 h à 15 h » (heure de Paris), or None


def post_slot(post: InformationPost) -> str | None:
    """The time slot of an intervention (start to actual, else planned, end) or of an incident
    (publication to resolution: « à partir du … » while open); None for an information."""
    if post.kind is InformationKind.INTERVENTION:
        return time_slot(post.start, post.actual_end or post.end)
    if post.kind is InformationKind.INCIDENT:
        return time_slot(post.published, post.resolved)
    return None


def post_view(kb: KnowledgeBase, post: InformationPost, now: datetime) -> PostView:
    current = state(post, now)
    times = post_times(post)
    return PostView(
        post=post,
        state=current,
        label=label(post, current),
        live=is_live(post, now),
        products=tuple(kb.product(slug) for slug in post.products),
        times={name: moment.isoformat() for name, moment in vars(times).items() if moment is not None},
        labels={s.value: label(post, s) for s in STATES_OF[post.kind]},
        slot=post_slot(post),
    )


def split_live(
    kb: KnowledgeBase, posts: list[InformationPost], now: datetime
) -> tuple[list[PostView], list[PostView]]:
    """« Informations en direct » (pinned first) and « Historique » (most recent first)."""
    live = [post_view(kb, p, now) for p in live_order([p for p in posts if is_live(p, now)])]
    history = sorted((p for p in posts if not is_live(p, now)), key=lambda p: p.published, reverse=True)
    return live, [post_view(kb, p, now) for p in history]


RUNNING = (PostState.ONGOING, PostState.OPEN)
# The home page stays the same size whatever the base holds: at most this many posts running or
# to come, running ones first (the whole list is on « Informations en direct », linked below).
HEADLINE_STATE = 3


def headline_posts(kb: KnowledgeBase, now: datetime, latest: int = 3) -> list[PostView]:
    """« Informations à la une », the state of things first: what is running at ``now`` (an
    intervention in progress, an open incident, however long ago it was published; the most
    recently started first), then the interventions to come (the soonest first), together
    ``HEADLINE_STATE`` at most, then the pinned posts, then the ``latest`` most recent of the
    posts neither running nor to come. Each post once, in its first group."""
    states = {id(p): state(p, now) for p in kb.posts}
    running = sorted(
        (p for p in kb.posts if states[id(p)] in RUNNING),
        key=lambda p: (-(p.start or p.published).timestamp(), p.title),
    )[:HEADLINE_STATE]
    coming = sorted(
        (p for p in kb.posts if states[id(p)] is PostState.UPCOMING),
        key=lambda p: ((p.start or p.published).timestamp(), p.title),
    )[: HEADLINE_STATE - len(running)]
    shown = {id(p) for p in (*running, *coming)}
    pinned = live_order([p for p in kb.posts if p.pinned and id(p) not in shown])
    shown |= {id(p) for p in pinned}
    # The latest are the other news: a post running or to come beyond the bound is not one.
    others = (
        p for p in kb.posts if id(p) not in shown and states[id(p)] not in (*RUNNING, PostState.UPCOMING)
    )
    recent = sorted(others, key=lambda p: p.published, reverse=True)[:latest]
    return [post_view(kb, p, now) for p in (*running, *coming, *pinned, *recent)]


def _chips(kb: KnowledgeBase) -> list[Chip]:
    chips = [Chip(None, len(kb.posts), informations_index())]
    for product in kb.products:
        # A post that names no product concerns every product.
        count = sum(1 for p in kb.posts if not p.products or product.slug in p.products)
        if any(product.slug in p.products for p in kb.posts):
            chips.append(Chip(product, count, informations_product_url(product.slug)))
    return chips


def information_pages(renderer: Renderer, kb: KnowledgeBase, now: datetime) -> Iterator[GeneratedPage]:
    feeds = [{"title": FEED_TITLE, "url": feed_url("informations")}]
    chips = _chips(kb)
    context = {"chips": chips, "calendar_url": interventions_calendar_url(), "feeds": feeds}
    yield from _feed_pages(
        renderer, kb, now, informations_index(), INFORMATIONS_TITLE, [], list(kb.posts), None, context
    )
    index_crumb = Crumb(INFORMATIONS_TITLE, informations_index())
    for chip in chips[1:]:
        product = chip.product
        assert product is not None
        mine = [p for p in kb.posts if not p.products or product.slug in p.products]
        yield from _feed_pages(
            renderer,
            kb,
            now,
            informations_product_url(product.slug),
            f"{INFORMATIONS_TITLE} — {product.name}",
            [index_crumb],
            mine,
            product,
            context,
        )
    for post in kb.posts:
        yield renderer.page(
            "post.md.j2",
            post_url(post),
            post.title,
            [index_crumb],
            feeds=feeds,
            search=search_meta(kb, TYPE_INFORMATION, post.products),
            view=post_view(kb, post, now),
        )


def _feed_pages(
    renderer: Renderer,
    kb: KnowledgeBase,
    now: datetime,
    base: str,
    title: str,
    crumbs: list[Crumb],
    posts: list[InformationPost],
    current: Product | None,
    context: dict[str, Any],
) -> Iterator[GeneratedPage]:
    """A « Fil d'information » (every product, or one): page 1 holds the live part and the most
    recent history; the rest of the history follows at ``base/page/<n>/``."""
    live, history = split_live(kb, posts, now)
    for pager, past in paginate(history, base, HISTORY_PAGE_SIZE):
        yield renderer.page(
            "informations.md.j2",
            pager.url(pager.number),
            paged_title(title, pager),
            crumbs if pager.number == 1 else [*crumbs, Crumb(title, base)],
            live=live if pager.number == 1 else [],
            history=past,
            total_history=len(history),
            pager=pager,
            current=current,
            **context,
        )
