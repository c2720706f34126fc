"""``se = "CR2"``, ``cluster_df`` and ``[analysis.wild_bootstrap]`` in study.toml."""

from __future__ import annotations

import pytest

from leftbehind.errors import LeftbehindError, StudyFileProblems
from leftbehind.spec import WildBootstrap, load_study

BASE = '''[study]
title = "t"

[survey]
files = ["q.csv"]
{cluster}

[items.a]
[items.b]
[items.c]
[items.school]

[analysis]
outcome = "a"
group = "b"
controls = ["c"]
'''


def study(write_study, extra: str, *, cluster: bool = True):
    return load_study(write_study(BASE.format(cluster='cluster = "school"' if cluster else "") + extra))


def keys(write_study, extra: str, *, cluster: bool = True) -> list[str]:
    with pytest.raises(LeftbehindError) as info:
        study(write_study, extra, cluster=cluster)
    problems = info.value.problems if isinstance(info.value, StudyFileProblems) else [info.value]
    return [(p.location.key, str(p)) for p in problems]


def test_cr2_and_bootstrap_are_read(write_study):
    s = study(write_study, 'se = "CR2"\n[analysis.wild_bootstrap]\nreps = 999\nweights = "webb"\nseed = 7\n'
                           'terms = ["b", "c"]\n')
    assert s.analysis.se == "CR2" and s.analysis.clustered
    assert s.analysis.wild_bootstrap == WildBootstrap(reps=999, weights="webb", seed=7, terms=["b", "c"])


def test_defaults(write_study):
    s = study(write_study, "[analysis.wild_bootstrap]\n")
    boot = s.analysis.wild_bootstrap
    assert (boot.reps, boot.weights, boot.terms) == (9999, "rademacher", [])
    assert s.analysis.cluster_df == "residual" and s.analysis.clustered
    assert not study(write_study, "").analysis.clustered


def test_g_minus_one(write_study):
    assert study(write_study, 'se = "cluster"\ncluster_df = "G-1"\n').analysis.cluster_df == "G-1"


def test_cr2_needs_a_cluster(write_study):
    found = keys(write_study, 'se = "CR2"\n', cluster=False)
    assert found[0][0] == "analysis.se"


def test_bootstrap_needs_a_cluster(write_study):
    found = keys(write_study, "[analysis.wild_bootstrap]\n", cluster=False)
    assert found[0][0] == "analysis.wild_bootstrap"


def test_bootstrap_terms_are_defined_names(write_study):
    found = keys(write_study, '[analysis.wild_bootstrap]\nterms = ["zz"]\n')
    assert found[0][0] == "analysis.wild_bootstrap.terms[0]"


def test_bootstrap_terms_are_model_variables(write_study):
    found = keys(write_study, '[analysis.wild_bootstrap]\nterms = ["school"]\n')
    assert found[0][0] == "analysis.wild_bootstrap.terms[0]" and "cannot be used here" in found[0][1]


@pytest.mark.parametrize("extra, where", [
    ('[analysis.wild_bootstrap]\nweights = "mammen"\n', "weights"),
    ('[analysis.wild_bootstrap]\nreps = 10\n', "reps"),
    ('[analysis.wild_bootstrap]\nrep = 999\n', "rep"),
    ('cluster_df = "G"\n', "cluster_df"),
])
def test_schema_errors(write_study, extra, where):
    found = keys(write_study, extra)
    assert where in found[0][0] or where in found[0][1]


def test_g_minus_one_only_with_cluster(write_study):
    found = keys(write_study, 'se = "CR2"\ncluster_df = "G-1"\n')
    assert "Satterthwaite" in found[0][1]
