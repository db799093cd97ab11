"""Measured boxes, glue, penalties and floats of an article → its page breaks (total fit over pages).

The page-level counterpart of `linebreak.py`, after Plass ("Optimal Pagination Techniques for
Automatic Typesetting Systems", Stanford 1981) and TeX's page builder (tex.web §980–§1028):
every legal breakpoint is a candidate, each page gets a badness from how far its glue must
stretch or shrink to bring its last baseline to the page's goal, and the breaks chosen
minimise the sum over the whole article. What this adds to TeX's builder:

* spreads: both pages of a spread (an even page and the odd page after it) share one goal, the
  full page or, at a cost, one line less (the "line more or less on a page pair" of a
  compositor), so the text block ends on one baseline across every opening;
* floats: a figure stays where its text is or moves to the top of the next page (never further:
  Plass's model with a window of one page) at a cost, so that of two layouts that fill their
  pages alike the one that reads in source order wins; figures keep their order, a full-page
  figure takes the page after the one its text is on, and full-page figures with nothing between
  them (the pages of a table turned sideways) are a run that takes the pages after it in a row;
* the last page may end short, but holds `MIN_LAST_LINES` lines of text when it can;
* the space dropped at a break (above a heading, an ornament, a block) leaves its stretch to
  the page after it, below that page's first block: a page that opens with a heading keeps the
  give the space around it has mid-page, so that whole lines and that give reach the goal;
* looseness as a choice of the page builder: a paragraph that can be set a line longer or
  shorter (TeX's \\looseness) says so on its last line, and the page it ends on may take that
  line more or less at a cost, so that the changes that fill the spreads are chosen together,
  over the whole article, with the breaks.

Everything is in points, measured down from the top of the text block. The module is pure: the
same items give the same breaks, whatever produced them (docs/architecture.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Sequence

INFINITY = 10000.0
"""A penalty ≥ INFINITY forbids a break; ≤ −INFINITY forces one (TeX's convention)."""

SHORT_SPREAD_COST = 4000.0
"""Demerits for each page of a spread set one line short of the full page. The demerits of a
paragraph set a line longer or shorter (`Box.longer`, `Box.shorter`) stay below it (makeup's
do): a page set short costs more than the change that would fill it."""
UNFILLED_COST = 1.0e6
"""Demerits per point a page ends above its goal with no glue to stretch."""
OVERFULL_COST = 1.0e8
"""Demerits for a page too full to fit, per line of excess (accepted when nothing else fits:
an item, or a run that may not be broken, taller than the page)."""
MIN_LAST_LINES = 4
LAST_LINE_COST = 5000.0
"""Demerits per line that the article's last page holds fewer than MIN_LAST_LINES."""
PAGE_COST = 3000.0
"""Demerits for every page: of two layouts otherwise alike, the shorter wins."""
MAX_RATIO = 3.0
"""Glue stretched past this many times its stretchability counts as unfilled."""
DEFERRED_COST = 1000.0
"""Demerits for a figure moved to the top of the next page, away from its text (and out of the
source's reading order): more than glue or an image set a little tighter to keep it in place,
less than a paragraph set a line longer or shorter, or a spread set a line short."""


@dataclass(frozen=True)
class Box:
    """Something set: a line of text, an image, an unsplittable block. `depth` is the part of
    `height` below the last baseline; an image may give up to `shrink` points of its height.
    `insert` is taken from the foot of the page the box is on (TeX's insertions): the text
    there ends that much higher."""

    height: float
    depth: float = 0.0
    shrink: float = 0.0
    line: bool = False  # a line of text (counted for the last page's minimum)
    insert: float = 0.0  # room it takes at the foot of its page (the foot notes it calls)
    longer: float = INFINITY  # a paragraph's last line: the demerits of setting the paragraph
    shorter: float = INFINITY  # one line longer (shorter); INFINITY: it cannot be


@dataclass(frozen=True)
class Glue:
    """Vertical space; a break here is legal right after a box or float, and the glue is
    dropped at the break (its stretch goes below the next page's first block)."""

    height: float
    stretch: float = 0.0
    shrink: float = 0.0


@dataclass(frozen=True)
class Penalty:
    """A possible break costing `cost` (no break at ≥ INFINITY, a forced one at ≤ −INFINITY),
    and `turned` more where the page it ends is a right-hand (odd) one, whose reader turns the
    leaf before seeing what follows (a word broken over the leaf), where a left page's break is
    seen at once with the next page beside it.
    A break taken here ends its page `before` points lower and starts the next page with
    `after` points of its own (between two rows of a table: the closing rule, and the rules and
    header row repeated), as TeX's discretionary does at the end of a line."""

    cost: float
    before: float = 0.0
    after: float = 0.0
    turned: float = 0.0


@dataclass(frozen=True)
class Float:
    """A figure: `height` with `depth` (its caption's, below the last baseline), the space
    kept above and below it, and how much its image may shrink. It is set where it stands or,
    if `movable`, at the top of the next page; a `full_page` figure always gets the page after
    the one where its text stands (the page it opens, when that text ends the page before), and
    the text after it fills the page before it only if it is `movable` (not past a heading).
    Full-page figures with nothing but glue and penalties between them are one run: the pages
    after their text's page, in a row, the text after the run filling that page."""

    height: float
    depth: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0
    shrink: float = 0.0
    movable: bool = True
    full_page: bool = False


Item = Box | Glue | Penalty | Float


@dataclass(frozen=True)
class Page:
    """One page: the items `start` (inclusive) to `end` (exclusive) less `deferred` (a float
    that moves to the next page), after `top_float` (the float moved here from the page
    before), or the full-page figure `top_float` alone when `start == end`.

    `ratio` is how far the page's glue stretches (> 0, in units of its stretch) or shrinks
    (< 0, in units of its shrink); `goal` is where its last baseline sits (None: as it falls,
    on an article's last page and on a full-page figure) unless the page could not be `filled`.
    `carried` is the stretch of the glue dropped at the break above the page: it joins the
    page's first glue below something solid. `changed` is the index of the last line of a
    paragraph that the page takes `change` lines longer (from `Box.longer`, `Box.shorter`): the
    page is measured as if it were, and the caller sets that paragraph so and breaks again."""

    start: int
    end: int
    top_float: int | None
    deferred: int | None
    ratio: float
    goal: float | None
    number: int  # page number (1-based, as printed)
    filled: bool = True  # False: its glue could not bring its last baseline down to `goal`
    carried: float = 0.0
    changed: int | None = None  # the last line of a paragraph set `change` (±1) lines longer here
    change: int = 0


@dataclass(frozen=True)
class Frame:
    """What a page offers: the baseline of its last line when full, the step to the next
    baseline above (for spreads one line short), and the height of the text block."""

    goal: float
    line: float
    height: float


def page_breaks(items: Sequence[Item], frame: Frame, first_page: int,
                window: tuple[int, int, int | None] | None = None) -> tuple[Page, ...]:
    """The pages of an article that starts on page number `first_page` (odd: a right-hand
    page), chosen to minimise the total demerits. Always returns a layout: a page that cannot
    be filled is accepted at a high cost rather than failing.

    With a `window` (after, until, next_page), only the pages between break `after` (the page
    after it is `first_page`) and break `until` are chosen, for a caller that keeps the pages
    around them: full pages that end at `until` and leave the next page numbered like
    `next_page` (odd or even), or with `next_page` None, pages to the article's end at `until`
    (empty if there are none)."""
    if not any(isinstance(item, (Box, Float)) for item in items):
        return ()
    # Pages that cannot be filled cost more than any layout of filled pages, so a first pass
    # keeps filled pages only (far fewer breakpoints are reachable, and far fewer pages are
    # tried from each); only when no such layout exists does the second pass admit the rest.
    return _Builder(list(items), frame, True, window).run(first_page) or \
        _Builder(list(items), frame, False, window).run(first_page)


@dataclass
class _State:
    demerits: float
    page: Page | None
    previous: "_State | None"
    number: int  # page number of the next page


@dataclass
class _Sums:
    """A page's running sums: height to the foot of its last solid item and that item's depth,
    stretch and shrink; glue after the last solid item waits in `glue_*` until a solid item
    follows (glue at a break is dropped). `carried` (the stretch of the glue dropped at the
    break above the page) joins the first glue below a solid item."""

    height: float = 0.0
    depth: float = 0.0
    stretch: float = 0.0
    shrink: float = 0.0
    glue_height: float = 0.0
    glue_stretch: float = 0.0
    glue_shrink: float = 0.0
    solid: int = 0
    lines: int = 0
    insert: float = 0.0
    carried: float = 0.0
    run: int = 0  # lines of the paragraph being added that are on this page
    whole: bool = True  # that paragraph starts on this page
    longer: tuple[float, float, int] | None = None  # the cheapest paragraph ending here that may be
    shorter: tuple[float, float, int] | None = None  # set a line longer (shorter): (cost, line, index)

    def add_glue(self, glue: Glue) -> None:
        if self.solid:  # glue at the top of a page is dropped
            self.glue_height += glue.height
            self.glue_stretch += glue.stretch + self.carried
            self.glue_shrink += glue.shrink
            self.carried = 0.0

    def add_solid(self, height: float, depth: float, shrink: float, line: bool, insert: float = 0.0) -> None:
        self.insert += insert
        self.height += self.glue_height + height
        self.stretch += self.glue_stretch
        self.shrink += self.glue_shrink + shrink
        self.depth = depth
        self.glue_height = self.glue_stretch = self.glue_shrink = 0.0
        self.solid += 1
        self.lines += line

    def count(self, box: Box, index: int) -> None:
        """Count `box` (item `index`) in the paragraph being added, and note the changes that
        paragraph offers this page if `box` ends it: a line more always, a line less when no
        widow is left (three of its lines here, or all of them). Only where changes are offered."""
        self.run = self.run + 1 if box.line else 0
        if box.longer < INFINITY and (self.longer is None or box.longer < self.longer[0]):
            self.longer = (box.longer, box.height, index)
        if box.shorter < INFINITY and (self.run >= 3 or self.whole) and (
                self.shorter is None or box.shorter < self.shorter[0]):
            self.shorter = (box.shorter, box.height, index)


class _Builder:
    def __init__(self, items: list[Item], frame: Frame, feasible_only: bool,
                 window: tuple[int, int, int | None] | None = None):
        self.items = items
        self.frame = frame
        self.feasible_only = feasible_only
        self.after, self.n, self.next_page = window if window is not None else (-1, len(items), None)
        self.closed = self.next_page is not None  # the last page is a full one, not the article's last
        self.runs = _full_page_runs(items[:self.n])
        self.breaks = self._breakpoints()
        # a line that a paragraph may yet give up or take on this page, for the bounds below
        self.slack = max((item.height for item in items if isinstance(item, Box)
                          and (item.longer < INFINITY or item.shorter < INFINITY)), default=0.0)
        self.flexible = self.slack > 0.0  # some paragraph may be set a line longer or shorter

    def _breakpoints(self) -> set[int]:
        """Indices where a page may end (the item there is dropped), and n for the end."""
        found = {self.n}
        previous_solid = False
        for index, item in enumerate(self.items[:self.n]):
            if (isinstance(item, Glue) and previous_solid or isinstance(item, Penalty) and item.cost < INFINITY) \
                    and index > self.after:
                found.add(index)
            previous_solid = isinstance(item, (Box, Float))
        return found

    def run(self, first_page: int) -> tuple[Page, ...]:
        # states per break index, keyed by (float waiting for the next page, goal the next
        # page must meet, parity of the next page's number)
        states: dict[int, dict[tuple, _State]] = {self.after: {(None, None, first_page % 2): _State(
            0.0, None, None, first_page)}}
        for start in [self.after, *sorted(self.breaks - {self.n})]:
            for (waiting, goal, _), state in states.pop(start, {}).items():
                self._pages_from(start, waiting, goal, state, states)
        ends = [state for (waiting, _, parity), state in states.get(self.n, {}).items()
                if not self.closed or waiting is None and parity == self.next_page % 2]
        if not ends:
            return ()
        best = min(ends, key=lambda s: s.demerits)
        pages: list[Page] = []
        state: _State | None = best
        while state is not None and state.page is not None:
            pages.append(state.page)
            state = state.previous
        return tuple(reversed(pages))

    def _pages_from(self, start: int, waiting: int | None, fixed_goal: float | None, state: _State,
                    states: dict) -> None:
        """Relax every page that starts after break `start` (with the float `waiting` on top)."""
        items, frame, number = self.items, self.frame, state.number
        if waiting is not None and items[waiting].full_page:  # the figures' own pages, then on
            self._pages_from(start, None, None, self._figure_pages(waiting, start + 1, state), states)
            return
        sums = _Sums(carried=_carried(items, start))
        if waiting is not None:
            figure = items[waiting]
            sums.add_solid(figure.height + figure.space_after, figure.depth + figure.space_after,
                           figure.shrink, False)
        opening = items[start] if start >= 0 else None
        if isinstance(opening, Penalty) and opening.after:
            sums.add_solid(opening.after, 0.0, 0.0, False)
        sums.whole = not isinstance(opening, Penalty)  # or the rest of a paragraph
        movable: tuple[int, float, float, float] | None = None  # a float that may move on: (index,
        # height, stretch, shrink) it takes with the glue before it
        followed = False  # something solid follows `movable` on this page
        full_page: int | None = None  # the first of a run of full-page figures whose text is on this page
        run_end = -1  # the last of that run: the breaks before it are inside the run
        ends_here = False  # the page ends at the full-page figure: the text after it is another section's
        too_full = False
        flexible, slack = self.flexible, self.slack
        for index in range(start + 1, self.n + 1):
            if index <= run_end:
                continue
            if index in self.breaks and (sums.solid or full_page is not None):
                self._close(start, index, waiting, fixed_goal, state, states, sums,
                            movable if followed else None, full_page)
                # a full-page figure that opens the page is on the page after its text already
                # (the text before it ends the page before): this page is its own, and the text
                # after it follows it, as the next full-page figure (a sideways table's next page)
                if too_full or ends_here or index == self.n or _forced(items[index]) or not sums.solid:
                    return
            if index == self.n:
                return
            item = items[index]
            if isinstance(item, Glue):
                sums.add_glue(item)
                if flexible:
                    sums.run, sums.whole = 0, True
            elif isinstance(item, Penalty):
                continue
            elif isinstance(item, Float):
                if full_page is not None:
                    return  # figures keep their order: this one waits for the next page
                if item.full_page:  # takes the next pages, and the glue before it along
                    full_page, run_end, movable, ends_here = index, self.runs[index], None, not item.movable
                    sums.glue_height = sums.glue_stretch = sums.glue_shrink = 0.0
                    continue
                before = item.space_before if sums.solid else 0.0
                # a figure right after the break is already on the page after its text
                if item.movable and sums.solid > (waiting is not None):
                    movable, followed = (index, before + item.height + item.space_after + sums.glue_height,
                                         sums.glue_stretch, item.shrink + sums.glue_shrink), False
                else:
                    movable = None
                sums.add_solid(before + item.height + item.space_after, item.depth + item.space_after,
                               item.shrink, False)
                sums.run = 0
            else:
                sums.add_solid(item.height, item.depth, item.shrink, item.line, item.insert)
                if flexible:
                    sums.count(item, index)
                followed = movable is not None
            least = sums.height - sums.depth - sums.shrink - slack
            if movable is not None:  # it may yet move on, if text follows it here
                least -= movable[1] - movable[3]
            # too full for any page: end at the next break (overfull, at a cost that only
            # an unbreakable run taller than the page leaves as the one choice)
            too_full = too_full or least > frame.goal - sums.insert + 1e-6

    def _close(self, start: int, end: int, waiting: int | None, fixed_goal: float | None, state: _State,
               states: dict, sums: _Sums, movable: tuple[int, float, float, float] | None,
               full_page: int | None) -> None:
        """Record the pages that end at break `end`."""
        item = self.items[end] if end < self.n else None
        number = state.number
        cost = break_cost(item, number) if isinstance(item, Penalty) else 0.0
        before = item.before if isinstance(item, Penalty) else 0.0
        if not sums.solid:  # nothing but full-page figures: their pages alone
            self._add(states, end, None, None, self._figure_pages(full_page, end, state, PAGE_COST))
            return
        last = end == self.n and not self.closed  # the article's last page, ragged
        longer = sums.longer[1] if sums.longer is not None else 0.0
        if self.feasible_only and not last and (
                sums.height - sums.depth + sums.insert + before + self.frame.line + longer  # at most one float left out
                < (fixed_goal if fixed_goal is not None else self.frame.goal - self.frame.line)
                - MAX_RATIO * sums.stretch - 1e-6):
            return  # too short to be filled even with every float kept and all glue stretched
        # (deferred, height, stretch, shrink it takes along, demerits)
        options = [(full_page, 0.0, 0.0, 0.0, 0.0)]
        if movable is not None and full_page is None and not last:
            options.append((*movable, DEFERRED_COST))
        goals = [fixed_goal] if fixed_goal is not None else [self.frame.goal, self.frame.goal - self.frame.line]
        changes = _UNCHANGED
        if self.flexible and not last and (sums.longer is not None or sums.shorter is not None):
            changes = [*_UNCHANGED, *((change, change * height, demerits, index) for change, option in (
                (1, sums.longer), (-1, sums.shorter)) if option is not None for demerits, height, index in [option])]
        for (deferred, given_height, given_stretch, given_shrink, moved_cost), (change, added, change_cost, changed) \
                in product(options, changes):
            baseline = sums.height - given_height - sums.depth + sums.insert + before + added  # notes below the text
            stretch, shrink = sums.stretch - given_stretch, sums.shrink - given_shrink
            for goal in goals:
                ragged = last
                ratio, badness, filled = self._fit(baseline, goal, stretch, shrink, ragged)
                badness += change_cost + moved_cost
                if ragged:
                    badness += LAST_LINE_COST * max(0, MIN_LAST_LINES - sums.lines)
                elif goal < self.frame.goal - 1e-6:
                    badness += SHORT_SPREAD_COST
                if self.feasible_only and not filled:
                    continue
                page = Page(start + 1, end, waiting, deferred, ratio, None if ragged else goal, number, filled,
                            _carried(self.items, start), changed, change)
                # a left (even) page fixes the goal of the right page after it
                next_goal = goal if number % 2 == 0 and not ragged else None
                after = _State(state.demerits + badness + cost + PAGE_COST, page, state, number + 1)
                if last and deferred is not None:  # the full-page figures end the article
                    after, deferred = self._figure_pages(deferred, end, after), None
                self._add(states, end, deferred, next_goal, after)
                if ragged:
                    break

    def _figure_pages(self, first: int, at: int, state: _State, cost: float = 0.0) -> _State:
        """The state after the pages of the run of full-page figures that starts at item
        `first`, one page each, after `state` and `cost` more (their pages are the empty item
        range at `at`)."""
        for index in range(first, self.runs[first] + 1):
            if isinstance(self.items[index], Float):
                state = _State(state.demerits + cost, Page(at, at, index, None, 0.0, None, state.number), state,
                               state.number + 1)
                cost = 0.0
        return state

    def _fit(self, baseline: float, goal: float, stretch: float, shrink: float, ragged: bool
             ) -> tuple[float, float, bool]:
        """(ratio, badness, whether the goal is met) of bringing the last baseline from
        `baseline` to `goal`. A ragged page (an article's last) may end short. A page that
        cannot reach its goal ends where its lines fall, whatever the goal: it is as unfilled
        with a goal a line short as with the full one, and is measured from the full page's foot
        (else a page unfilled anyway would take the short goal and impose it on its right page)."""
        excess = baseline - goal
        if excess > 1e-6:
            if shrink > 0 and shrink >= excess - 1e-6:
                ratio = -min(1.0, excess / shrink)
                return ratio, 100.0 * (-ratio) ** 3, True
            return 0.0, OVERFULL_COST * (1.0 + excess / self.frame.line), False
        need = -excess
        if ragged or need <= 1e-6:
            return 0.0, 0.0, True
        if stretch > 0 and need <= MAX_RATIO * stretch:
            ratio = need / stretch
            return ratio, 100.0 * ratio ** 3, True
        return 0.0, UNFILLED_COST * (self.frame.goal - baseline) / self.frame.line, False

    @staticmethod
    def _add(states: dict, position: int, waiting: int | None, goal: float | None, state: _State) -> None:
        key = (waiting, goal, state.number % 2)
        bucket = states.setdefault(position, {})
        current = bucket.get(key)
        if current is None or state.demerits < current.demerits:
            bucket[key] = state


_UNCHANGED = ((0, 0.0, 0.0, None),)
"""A page's changes when no paragraph on it may be set a line longer or shorter: (lines,
their height, demerits, index of the paragraph's last line)."""


def break_cost(penalty: Penalty, number: int) -> float:
    """What ending page `number` at `penalty` costs (a forced break costs nothing more)."""
    if abs(penalty.cost) >= INFINITY:
        return 0.0
    return penalty.cost + (penalty.turned if number % 2 else 0.0)


def _carried(items: Sequence[Item], start: int) -> float:
    """The stretch of the glue dropped at break `start`, for the page after it."""
    item = items[start] if start >= 0 else None
    return item.stretch if isinstance(item, Glue) else 0.0


def _full_page_runs(items: Sequence[Item]) -> dict[int, int]:
    """Each full-page float → the last full-page float of its run (floats with nothing but glue
    and penalties between them), for the first of a run (and for every other one: its own)."""
    runs: dict[int, int] = {}
    first: int | None = None
    for index, item in enumerate(items):
        if isinstance(item, Float) and item.full_page:
            first = index if first is None else first
            runs[first] = runs[index] = index
        elif isinstance(item, (Box, Float)):
            first = None
    return runs


def _forced(item: Item) -> bool:
    return isinstance(item, Penalty) and item.cost <= -INFINITY

