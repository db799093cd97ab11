"""Boxes, glue and penalties → the best set of line breaks for a whole paragraph (Knuth–Plass).

This is the total-fit algorithm of Knuth & Plass, "Breaking Paragraphs into Lines"
(Software—Practice and Experience 11, 1981), as TeX implements it (tex.web §813–§890):
every legal breakpoint is a candidate, each line gets a badness from how far its glue must
stretch or shrink, and the breaks chosen minimise the sum of the lines' demerits.

Additions to the plain algorithm, all as in TeX unless noted:

* three passes: without discretionary hyphens (`pretolerance`), with them (`tolerance`),
  and an emergency pass with extra stretch in every line (`emergency_stretch`) that also
  accepts an overfull line when nothing else is possible, so a result always exists;
* `double_hyphen_demerits` for two hyphenated lines in a row and a hard limit on the run
  (`max_hyphen_run`, ours: TeX has none); `final_hyphen_demerits` for a hyphen on the
  second-last line, and `tail_demerits` more (ours) when the last line holds only the tail of
  that word; `adj_demerits` when a line's fitness class (tight / decent / loose /
  very loose) is more than one away from its neighbour's;
* a line is never empty (it holds at least one box) — ours, for robustness;
* per-line widths: `line_widths[i]` is the measure of line i (0-based); the last entry
  repeats for all later lines.

Widths are in points. The module knows nothing about fonts, text or PDF: the items are
built by `paragraph.py` and carry whatever `data` it needs to draw them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

INFINITY = 10000
"""A penalty ≥ INFINITY forbids a break; ≤ −INFINITY forces one (TeX's convention)."""

FIL = 1.0e6
"""Stretch that behaves as infinite (the glue that makes the last line ragged)."""


@dataclass(frozen=True, slots=True)
class Box:
    """Something of (nearly) fixed width: a word, a piece of a word. `stretch` and `shrink`
    let a box widen or narrow a little (glyph expansion); both default to 0."""

    width: float
    data: object = None
    stretch: float = 0.0
    shrink: float = 0.0


@dataclass(frozen=True, slots=True)
class Glue:
    """Space that may stretch and shrink (by at most `shrink`); a break is legal at glue
    that follows a box."""

    width: float
    stretch: float
    shrink: float
    data: object = None


@dataclass(frozen=True, slots=True)
class Penalty:
    """A possible break costing `penalty`; `width` is set only if the break is taken (the
    hyphen sign). `flagged` marks hyphen breaks, whose runs are counted and limited."""

    width: float
    penalty: float
    flagged: bool = False
    data: object = None


Item = Box | Glue | Penalty


@dataclass(frozen=True, slots=True)
class Break:
    """One chosen break: the line ends at item `index` (exclusive, unless the item is a
    penalty whose width is drawn, i.e. a hyphen); `ratio` is the adjustment ratio the line
    needs (negative: shrink, > 1: stretched past its stretchability); `hyphenated` says the
    line ends at a flagged penalty."""

    index: int
    ratio: float
    hyphenated: bool
    line_width: float
    demerits: float = 0.0  # total demerits of the paragraph up to and including this line


@dataclass(frozen=True)
class Parameters:
    """Knobs of the breaker, with TeX's names and (mostly) plain TeX's values."""

    pretolerance: float = 100.0
    tolerance: float = 400.0
    emergency_stretch: float = 0.0  # points of extra stretch per line in the last pass
    line_penalty: float = 10.0
    adj_demerits: float = 10000.0
    double_hyphen_demerits: float = 10000.0
    final_hyphen_demerits: float = 5000.0
    tail_demerits: float = 0.0  # ours: more when the last line is only the hyphenated word's tail
    max_hyphen_run: int = 2
    looseness: int = 0  # TeX's \looseness: this many lines more (or fewer) than the best, if it can
    badness_exponent: float = 3.0  # TeX: badness = 100 r³; larger keeps lines with r < 1 cheap


@dataclass(slots=True)
class _Node:
    position: int  # index of the break item (−1 for the paragraph start)
    line: int  # lines set before this break; the next line is number `line` (0-based)
    fitness: int
    run: int  # hyphenated lines in a row ending here
    total_width: float
    total_stretch: float
    total_shrink: float
    demerits: float
    ratio: float
    hyphenated: bool
    previous: _Node | None = field(default=None, repr=False)
    width: float = 0.0  # measure of the line that starts here
    first_box: int = 0  # index of the first box after this break


def break_lines(items: Sequence[Item], line_widths: float | Sequence[float],
                parameters: Parameters = Parameters()) -> list[Break]:
    """The optimal breaks of a paragraph, one `Break` per line, in order.

    `items` should end with a forced break (a penalty of −INFINITY), normally preceded by
    glue with FIL stretch so that the last line is ragged; one is assumed if missing.
    `line_widths` is the measure in points, or a sequence of measures per line (0-based),
    the last repeating. Always returns at least one break when there is any box.
    """
    widths = (float(line_widths),) if isinstance(line_widths, (int, float)) else tuple(line_widths)
    if not widths:
        raise ValueError("line_widths is empty")
    items = list(items)
    if not items or not (isinstance(items[-1], Penalty) and items[-1].penalty <= -INFINITY):
        items.append(Glue(0.0, FIL, 0.0))
        items.append(Penalty(0.0, -INFINITY))
    if not any(isinstance(item, Box) for item in items):
        return []
    breaker = _Breaker(items, widths, parameters)
    has_discretionary = any(isinstance(i, Penalty) and i.flagged and i.width > 0 for i in items)
    if parameters.looseness:
        # only lines within the tolerance, as TeX's second pass (§863): the length nearest the
        # asked one that they allow, or else the paragraph as it is best set
        found = breaker.run(parameters.tolerance, discretionary=True, emergency=0.0, final=False)
        return found if found is not None else break_lines(items, widths, replace(parameters, looseness=0))
    if parameters.pretolerance >= 0:
        found = breaker.run(parameters.pretolerance, discretionary=False, emergency=0.0, final=False)
        if found is not None:
            return found
    if has_discretionary or parameters.pretolerance < 0:
        found = breaker.run(parameters.tolerance, discretionary=True, emergency=0.0, final=False)
        if found is not None:
            return found
    return breaker.run(float("inf"), discretionary=True,
                       emergency=parameters.emergency_stretch, final=True)


def line_items(items: Sequence[Item], breaks: Sequence[Break]) -> list[tuple[int, int]]:
    """For each line, the (start, end) item indices it shows: discardable items (glue and
    penalties) after a break are dropped, the break item itself is excluded (draw its width
    separately when the line is `hyphenated` and the penalty has width)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for brk in breaks:
        end = min(brk.index, len(items))  # the implicit final break lies past the items
        while start < end and not isinstance(items[start], Box):
            start += 1
        spans.append((start, end))
        start = brk.index + 1
    return spans


class _Breaker:
    def __init__(self, items: list[Item], widths: tuple[float, ...], parameters: Parameters):
        self.items = items
        self.widths = widths
        self.p = parameters
        n = len(items)
        # cumulative sums: sum_x[i] = total of items[0:i]
        sw = [0.0] * (n + 1)
        sy = [0.0] * (n + 1)
        sz = [0.0] * (n + 1)
        kinds = [0] * n  # 0 box, 1 glue, 2 penalty
        glues = [0] * (n + 1)  # glue items in items[0:i]: a line with none but the last is one word
        w = y = z = 0.0
        for i, item in enumerate(items):
            cls = item.__class__
            if cls is Penalty:
                kinds[i] = 2
            else:
                if cls is Glue:
                    kinds[i] = 1
                w += item.width
                y += item.stretch
                z += item.shrink
            glues[i + 1] = glues[i] + (cls is Glue)
            sw[i + 1] = w
            sy[i + 1] = y
            sz[i + 1] = z
        self.sw, self.sy, self.sz, self.kinds, self.glues = sw, sy, sz, kinds, glues
        # next_box[i]: index of the first box at or after i (n if none): a line starting
        # after a break at i−1 must reach it before its own end, or it would be empty
        next_box = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            next_box[i] = i if kinds[i] == 0 else next_box[i + 1]
        self.next_box = next_box
        self._points: list[tuple[int, float, bool, float, bool]] | None = None

    def _after(self, b: int) -> tuple[float, float, float]:
        """Totals up to the first non-discardable item after a break at b (tex.web §837)."""
        items, kinds = self.items, self.kinds
        i = b + 1 if b >= 0 else 0
        n = len(items)
        while i < n and kinds[i] != 0:
            if kinds[i] == 2 and items[i].penalty <= -INFINITY and i > b + 1 and b >= 0:
                break
            i += 1
        return self.sw[i], self.sy[i], self.sz[i]

    def _breakpoints(self) -> list[tuple[int, float, bool, float, bool]]:
        """Legal breakpoints in order: (index, penalty, flagged, width, discretionary)."""
        found = []
        items, kinds = self.items, self.kinds
        for b, kind in enumerate(kinds):
            if kind == 1:
                if b > 0 and kinds[b - 1] == 0:  # glue breaks only right after a box
                    found.append((b, 0.0, False, 0.0, False))
            elif kind == 2:
                item = items[b]
                if item.penalty < INFINITY:
                    found.append((b, item.penalty, item.flagged, item.width,
                                  item.flagged and item.width > 0))
        return found

    def run(self, threshold: float, discretionary: bool, emergency: float, final: bool) -> list[Break] | None:
        widths, p = self.widths, self.p
        sw, sy, sz, next_box = self.sw, self.sy, self.sz, self.next_box
        last_width_index = len(widths) - 1
        exponent = p.badness_exponent
        line_penalty = p.line_penalty
        max_run = p.max_hyphen_run
        double_hyphen, final_hyphen, adjacent = p.double_hyphen_demerits, p.final_hyphen_demerits, p.adj_demerits
        tail, glues = p.tail_demerits, self.glues
        capped = not final
        loose = p.looseness
        active: list[_Node] = [_Node(-1, 0, 1, 0, 0.0, 0.0, 0.0, 0.0, 0.0, False, None, widths[0], next_box[0])]
        cube = exponent == 3.0
        n = len(self.items)
        if self._points is None:
            self._points = self._breakpoints()
        for b, penalty, flagged, pwidth, is_discretionary in self._points:
            if is_discretionary and not discretionary:
                continue
            forced = penalty <= -INFINITY
            base_width, base_stretch, base_shrink = sw[b] + pwidth, sy[b] + emergency, sz[b]
            # best candidate per (fitness, run, line class) for new nodes at b
            candidates: dict[tuple[int, int, int], tuple[float, _Node, float]] = {}
            survivors: list[_Node] = []
            best_dead: tuple[float, _Node, float] | None = None
            for node in active:
                width = node.width
                natural = base_width - node.total_width
                if natural < width:
                    stretch = base_stretch - node.total_stretch
                    if stretch > 0:
                        ratio = (width - natural) / stretch
                        if ratio >= 100:
                            badness = 1.0e8
                        elif cube:
                            badness = 100.0 * ratio * ratio * ratio
                        else:
                            badness = 100.0 * ratio ** exponent
                    else:
                        ratio, badness = INFINITY, 1.0e8
                    if capped and badness > INFINITY:
                        # TeX caps badness; the last pass keeps the order among very loose
                        # lines so that it picks the least loose of them
                        badness = INFINITY
                elif natural > width:
                    shrink = base_shrink - node.total_shrink
                    ratio = (width - natural) / shrink if shrink > 0 else -INFINITY
                    if ratio < -1:
                        # too long now, and longer from here on: deactivate
                        if final and node.first_box < b:
                            d = node.demerits + 1e9
                            if best_dead is None or d < best_dead[0]:
                                best_dead = (d, node, ratio)
                        continue
                    badness = 100.0 * (-ratio) ** exponent
                else:
                    ratio, badness = 0.0, 0.0
                if not forced:
                    survivors.append(node)
                if badness > threshold or node.first_box >= b:
                    continue  # too loose, or the line would hold no box
                if flagged:
                    run = node.run + 1
                    if run > max_run:
                        continue
                else:
                    run = 0
                # demerits (tex.web §859)
                d = line_penalty + badness
                d *= d
                if penalty > 0:
                    d += penalty * penalty
                elif penalty > -INFINITY:
                    d -= penalty * penalty
                if node.hyphenated:
                    if flagged:
                        d += double_hyphen
                    elif forced:
                        d += final_hyphen
                        if glues[b] - glues[node.first_box] <= 1:  # no space but the last line's fill
                            d += tail
                if ratio < -0.5:
                    fitness = 0
                elif ratio <= 0.5:
                    fitness = 1
                elif ratio <= 1.0:
                    fitness = 2
                else:
                    fitness = 3
                if fitness - node.fitness > 1 or node.fitness - fitness > 1:
                    d += adjacent
                d += node.demerits
                line = node.line + 1
                # with a looseness, layouts of different lengths are kept apart (TeX's easy_line)
                key = (fitness, run, line if loose or line < last_width_index else last_width_index)
                current = candidates.get(key)
                if current is None or d < current[0]:
                    candidates[key] = (d, node, ratio)
            if final and not candidates and not survivors and best_dead is not None:
                d, node, ratio = best_dead
                if forced or next_box[b + 1] < n:
                    # nothing fits: accept the least bad overfull line rather than fail (§851)
                    run = node.run + 1 if flagged else 0
                    candidates[(_fitness(ratio), run, 0)] = (d, node, ratio)
                else:
                    # a break here would leave nothing for the last line (the glue before the
                    # final break): keep the node for the final break instead
                    survivors = [node]
            active = survivors
            if candidates:
                tw, ty, tz = self._after(b)
                first_box = next_box[b + 1]
                for (fitness, run, _line), (d, node, ratio) in candidates.items():
                    line = node.line + 1
                    width = widths[line] if line < last_width_index else widths[last_width_index]
                    active.append(_Node(b, line, fitness, run, tw, ty, tz, d, ratio,
                                        flagged, node, width, first_box))
            if not active:
                return None
        # the last item is a forced break, so active holds only nodes at it
        ends = [node for node in active if node.position == n - 1]
        if not ends:
            return None
        best = min(ends, key=lambda node: node.demerits)
        if loose:
            # the layout whose length is nearest the best's plus the looseness, on its side,
            # then the fewest demerits (tex.web §875)
            goal = best.line + loose
            best = min(ends, key=lambda node: (abs(goal - node.line) if (node.line - best.line) * loose >= 0
                                                else INFINITY, node.demerits))
        chosen: list[Break] = []
        node: _Node | None = best
        while node is not None and node.previous is not None:
            line = node.previous.line
            chosen.append(Break(node.position, node.ratio, node.hyphenated,
                                widths[min(line, last_width_index)], node.demerits))
            node = node.previous
        chosen.reverse()
        return chosen


def _fitness(ratio: float) -> int:
    """TeX's fitness classes: 0 tight, 1 decent, 2 loose, 3 very loose (§817)."""
    if ratio < -0.5:
        return 0
    if ratio <= 0.5:
        return 1
    if ratio <= 1.0:
        return 2
    return 3
