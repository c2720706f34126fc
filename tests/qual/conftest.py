"""Fixtures of the store tests: every test taking ``store`` runs on SQLite and again on
PostgreSQL (a clean schema for each test); the PostgreSQL runs carry the ``postgres`` mark and
are reported as skipped when LEFTBEHIND_TEST_PG_URL is not set."""

from __future__ import annotations

import os

import pytest

PG_URL = os.environ.get("LEFTBEHIND_TEST_PG_URL")
NO_SERVER = "LEFTBEHIND_TEST_PG_URL is not set (a throw-away PostgreSQL database; .ci/run sets one up)"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres,
                                                         pytest.mark.skipif(not PG_URL, reason=NO_SERVER)])]


def reset_postgres(url: str) -> None:
    """Drop every table of the test database (it must be a throw-away database)."""
    from sqlalchemy import text

    from leftbehind.qual.store import _make_engine

    engine = _make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def store_target(request, tmp_path):
    """A location for a new store: a study folder (SQLite) or the PostgreSQL test URL."""
    if request.param == "postgresql":
        reset_postgres(PG_URL)
        return PG_URL
    return tmp_path / "study"


@pytest.fixture
def store(store_target):
    from leftbehind.qual.store import init_store

    s = init_store(store_target)
    yield s
    s.close()


EXAMPLE = {
    "families.csv": "family,village,township,migration_pattern,caregivers,left_behind_age\n"
                    "F01,Village A,Town 1,both parents,grandparents,Shortly after birth\n"
                    "F02,Village B,Town 2,father only,mother,5 or 6\n",
    "participants.csv": "participant,family,role,age,sex,real_name,grade\n"
                        "Lan,F01,child,10,girl,王小兰,4\n"
                        "Nai,F01,grandparent,66,female,李秀英,\n"
                        "Bo,F02,child,12,boy,,6\n",
    "consent.csv": "participant,given_by,kind,date\nLan,Nai,consent,2013-09-20\nLan,Lan,assent,2013-09-20\n",
    "interviews.csv": "interview,date,wave,language,duration_min,interviewer,participants,suspended,"
                      "suspended_reason,referral_offered\n"
                      "I01,2013-09-20,1,zh,30,R1,Lan;Nai,0,,0\n"
                      "I02,2014-01-25,2,en,25,R1,Bo,1,child upset,1\n",
    "manifest.csv": "file,interview,participant,role,family,language,date\n"
                    "transcripts/F01.txt,I01,Lan;Nai,,F01,zh,2013-09-20\n"
                    "transcripts/F02.txt,I02,Bo,,F02,en,2014-01-25\n",
    "codebook.csv": "code,parent,description,inclusion,exclusion,example,colour\n"
                    "missing parents,emotions,longing for the absent parent,,,,#ff0000\n"
                    "emotions,,,,,,\ncrying,emotions,,,,,\n",
    "grounded.toml": '[categories.Separation]\ndescription = "parent away"\ncodes = ["missing parents"]\n'
                     'paradigm_role = "causal_conditions"\n'
                     'properties = [{name = "duration", dimension_low = "short", dimension_high = "long"}]\n'
                     '[categories.Distress]\ncodes = ["crying"]\nparadigm_role = "consequences"\n'
                     '[[relations]]\nfrom = "Separation"\nto = "Distress"\nkind = "leads_to"\nnote = "x"\n'
                     '[core]\ncategory = "Separation"\nstoryline = "A story."\n',
    # F01.txt by hand: line 1 is 10 + 2 code points, so "想" of line 2 is at 12 + 4 = 16; line 2 is
    # 4 + 2 + 9 + 2 = 17 more, so line 3 starts at 29 and "她常哭" is [33, 36)
    "codings_A.csv": "document,coder,code,start,end\nF01.txt,A,missing parents,16,17\nF01.txt,A,crying,33,36\n",
    "codings_B.csv": "document,coder,code,start,end\nF01,B,missing parents,16,17\n",
    "memos.csv": "target_type,target,author,date,title,text\ncode,crying,A,2014-02-01,note,about crying\n"
                 "participant,Lan,A,2014-02-01,p,about Lan\n",
    "sampling.csv": "target_type,target,date,reason,category\nfamily,F02,2014-01-10,father-only case,Separation\n",
}
F01_TEXT = "访谈者：你想妈妈吗？\r\n王小兰：想。[obs: 低头]\r\n李秀英：她常哭。\r\n"
F02_TEXT = "Interviewer: how are you\nBo: fine\n"


@pytest.fixture
def example_folder(tmp_path):
    """A complete example study folder in every documented format."""
    folder = tmp_path / "example"
    (folder / "transcripts").mkdir(parents=True)
    for name, text in EXAMPLE.items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    (folder / "transcripts" / "F01.txt").write_bytes(F01_TEXT.encode("utf-8"))
    (folder / "transcripts" / "F02.txt").write_bytes(F02_TEXT.encode("utf-8"))
    return folder


@pytest.fixture(scope="session")
def pg_url_reset():
    """(url, reset function) of the PostgreSQL test database; skips when it is not configured."""
    if not PG_URL:
        pytest.skip(NO_SERVER)
    return PG_URL, reset_postgres
