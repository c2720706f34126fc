"""Choosing interviewees from survey results (layer L3).

Three strategies a mixed-methods design uses to pick follow-up informants, each returning the
chosen cases with the reason for each (to be written to the theoretical-sampling log):

- :func:`stratified`: a fixed number per group (e.g. per migration type), drawn reproducibly;
- :func:`by_residual`: the most extreme (or most typical) residuals of a fitted model;
- :func:`high_low`: high on one measure and low on another (quantile cut-offs).

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"id": range(8), "g": list("aabbbbcc"), "x": range(8)}).set_index("id")
>>> chosen = stratified(frame, "g", n_per_group=1, seed=1)
>>> sorted(chosen["g"]), list(chosen.columns[-1:])
(['a', 'b', 'c'], ['reason'])
>>> high_low(frame, high="x", low="x", high_quantile=0.5, low_quantile=0.5).empty
True
"""

from __future__ import annotations

from leftbehind.errors import InputError


def _check(frame, *columns: str) -> None:
    for column in columns:
        if column not in frame.columns:
            raise InputError(f"unknown column '{column}'", column=column,
                             hint=f"columns are: {', '.join(map(str, frame.columns[:15]))}")


def stratified(frame, by: str, *, n_per_group: int, seed: int = 0):
    """``n_per_group`` cases drawn at random (seeded) from every level of ``by``; all of a smaller group."""
    _check(frame, by)
    if n_per_group < 1:
        raise InputError("n_per_group must be at least 1", key="n_per_group")
    parts = []
    for level, group in frame.groupby(by, observed=True, sort=True):
        take = group.sample(n=min(n_per_group, len(group)), random_state=seed)
        parts.append(take.assign(reason=f"stratified sample: {n_per_group} per {by}; drawn from {by} = {level} "
                                        f"({len(group)} cases)"))
    import pandas as pd

    return pd.concat(parts) if parts else frame.iloc[:0].assign(reason=[])


def by_residual(model, frame, *, n: int, kind: str = "extreme"):
    """Cases with the largest absolute residuals (``kind="extreme"``: half above, half below the
    model's prediction) or the smallest (``"typical"``) of a fitted model from ``leftbehind.models``.

    ``model`` needs ``residuals`` (a Series indexed like ``frame``) — :class:`OLSResult` has it.
    """
    residuals = getattr(model, "residuals", None)
    if residuals is None:
        raise InputError("the model carries no residuals", hint="fit it with leftbehind.models.fit_ols")
    if kind not in ("extreme", "typical"):
        raise InputError(f"unknown kind '{kind}'", key="kind", hint="use 'extreme' or 'typical'")
    residuals = residuals.dropna()
    if kind == "typical":
        chosen = residuals.abs().nsmallest(n).index
        reasons = {i: f"typical case: residual {residuals[i]:+.2f} of model '{model.formula}'" for i in chosen}
    else:
        above = residuals.nlargest((n + 1) // 2).index
        below = residuals.nsmallest(n // 2).index
        chosen = above.append(below)
        reasons = {i: f"extreme case: residual {residuals[i]:+.2f} ({'worse' if residuals[i] > 0 else 'better'} "
                      f"than predicted by '{model.formula}')" for i in chosen}
    out = frame.loc[chosen].copy()
    out["reason"] = [reasons[i] for i in chosen]
    return out


def high_low(frame, *, high: str, low: str, high_quantile: float = 0.75, low_quantile: float = 0.25):
    """Cases at or above the ``high_quantile`` of ``high`` and at or below the ``low_quantile`` of ``low``."""
    _check(frame, high, low)
    hi_cut = frame[high].quantile(high_quantile)
    lo_cut = frame[low].quantile(low_quantile)
    chosen = frame[(frame[high] >= hi_cut) & (frame[low] <= lo_cut)]
    if high == low and hi_cut > lo_cut:
        chosen = chosen.iloc[:0]
    return chosen.assign(reason=[f"high {high} ({v:.2f} >= {hi_cut:.2f}) and low {low} ({w:.2f} <= {lo_cut:.2f})"
                                 for v, w in zip(chosen[high], chosen[low])])


def record_selection(store, chosen, *, link_column: str = "survey_id", role: str = "child", prefix: str = "S-",
                     category: str | None = None, date: str | None = None, actor: str | None = None) -> list[str]:
    """Log each chosen survey case in the theoretical-sampling log, in one transaction.

    A case already linked to a participant (its id in ``link_column``) is logged for that
    participant; any other becomes a new participant ``prefix + id`` (a pseudonym, with the
    survey id as an attribute) awaiting interview. Returns the pseudonyms, in order.
    """
    from leftbehind.mixed.link import survey_key
    from leftbehind.qual import query, services

    people = query.participants_frame(store)
    known = {}
    if link_column in people.columns:
        known = {survey_key(v): p for p, v in zip(people["participant"], people[link_column]) if survey_key(v)}
    names = []
    with store.transaction(actor=actor):
        for case_id, reason in zip(chosen.index, chosen["reason"]):
            key = survey_key(case_id)
            name = known.get(key)
            if name is None:
                name = f"{prefix}{key}"
                services.add_participant(store, name, role=role, attributes={link_column: key}, actor=actor)
                known[key] = name
            services.add_sampling(store, "participant", name, reason=reason, category=category, date=date, actor=actor)
            names.append(name)
    return names
