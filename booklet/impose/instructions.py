"""Plan + options → the human steps to print, cut, stack and fold (lines for the summary)."""

from __future__ import annotations

from .slots import Plan

MM = 72 / 25.4


def _pages_range(first: int, last: int) -> str:
    return f"page {first}" if first == last else f"pages {first}–{last}"


def print_steps(plan: Plan, output_name: str) -> list[str]:
    """How to send the print PDF to the printer."""
    if not plan.duplex:
        return [f"Print {output_name} single-sided at 100 % (“actual size”, no fit to page)."]
    if not plan.manual_duplex:
        return [f"Print {output_name} double-sided, flipping on the {plan.flip} edge, "
                f"at 100 % (“actual size”, no fit to page)."]
    s = plan.sheets
    return [
        f"Print {_pages_range(1, s)} of {output_name} (the fronts, sheet 1 first) at 100 % "
        f"(“actual size”).",
        f"Put the printed pile back into the paper tray as you fed the test sheet's back "
        f"(turned about its {plan.flip} edge, blank sides to be printed), without reordering it: "
        f"the sheet printed last goes in first.",
        f"Print {_pages_range(s + 1, 2 * s)} (the backs, last sheet first). If putting the pile back "
        f"turned it over so that sheet 1 is fed first, tick “reverse order” in the print dialog.",
    ]


def finishing_steps(plan: Plan, sheet_size: tuple[float, float]) -> list[str]:
    """How to cut, stack, fold and bind the printed sheets (a right binding mirrors the steps,
    and says so first)."""
    steps = _finishing_steps(plan, sheet_size)
    if plan.binding == "right":
        steps.insert(0, "Bound on the right: the spine is on the right of the cover and the booklet "
                        "opens from right to left.")
    return steps


def _finishing_steps(plan: Plan, sheet_size: tuple[float, float]) -> list[str]:
    s = plan.sheets
    near, far = ("right", "left") if plan.binding == "left" else ("left", "right")
    nests = plan.nests
    several = len(nests) > 1
    if plan.scheme == "cut-stack":
        cut_mm = sheet_size[1] / 2 / MM
        steps = ["Square the pile with sheet 1 on top, its front (with the cover) facing up."]
        cut = f"across the middle ({cut_mm:.1f} mm from the top edge)"
        if several:
            steps += [
                f"Work nest by nest ({_nest_list(nests)}): cut the nest's pile {cut}, put its top "
                "halves on its bottom halves, and fold them once down the middle, the top strip "
                "(with the nest's first pages) outside.",
                "Gather the folded nests in order, nest 1 on top, and staple or sew through the spine.",
            ]
        else:
            steps += [
                f"Cut the whole pile {cut}.",
                "Put the pile of top halves on the pile of bottom halves.",
                "Fold the combined pile once down the middle, the top strip (with the cover) outside.",
                "Staple twice through the fold.",
            ]
        return steps
    if plan.scheme == "quarto":
        steps = [
            f"Take each sheet with its front (the cover at the bottom {near}) facing you.",
            "Fold the top half back, behind the bottom half (the heads meet in this fold).",
            f"Fold the {far} half back, behind the {near} half: the cover is on top, the fold is the spine.",
        ]
        if all(count == 1 for _, count in nests) and s > 1:
            steps.append("Stack the folded signatures in order, sheet 1 on top, and sew or glue the spine.")
        elif several:
            steps.append(f"Put the folded sheets of each nest ({_nest_list(nests)}) inside each other, "
                         "sheet 1 outside; gather the nests in order and sew or staple.")
        else:
            steps.append("Put folded sheet 2 inside sheet 1, sheet 3 inside sheet 2 …; staple through the spine.")
        steps.append("Trim about 2 mm off the head (top edge) to open the folded pages; "
                     "the foot and fore-edge need trimming only to square the block.")
        return steps
    if plan.scheme == "saddle-2up":
        steps = ["Square the pile with sheet 1 on top, its front (with the cover) facing up."]
        if several:
            steps.append(f"Fold each nest ({_nest_list(nests)}) down the middle, its first sheet outside; "
                         "gather the nests in order and staple or sew through the spine.")
        else:
            steps.append("Fold the whole pile once down the middle, sheet 1 outside; staple through the fold.")
        return steps
    steps = [
        "Fold the sheet along the horizontal centre line, printed side out; unfold.",
        "Cut along that line through the middle two columns only (the dashed slit).",
        "Fold along the centre line again, push the two ends together until the slit opens "
        "into a cross, and flatten it with the cover on top.",
    ]
    if s > 1:
        steps.append(f"Each of the {s} sheets is its own 8-page zine, read in order.")
    return steps


def _nest_list(nests) -> str:
    parts = [f"sheets {f + 1}–{f + c}" if c > 1 else f"sheet {f + 1}" for f, c in nests]
    if len(parts) > 4:
        parts = parts[:2] + ["…", parts[-1]]
    return ", ".join(parts)
