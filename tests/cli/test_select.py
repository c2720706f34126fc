"""`leftbehind select`: interviewees chosen from survey results, reasons in the sampling log."""

import json
import sys
from pathlib import Path

from leftbehind.cli.main import main
from leftbehind.qual import query
from leftbehind.qual.store import open_store

sys.path.insert(0, str(Path(__file__).parents[1] / "report"))
from small_study import make_small_study  # noqa: E402


def study_with_interviews(folder: Path) -> Path:
    make_small_study(folder)
    (folder / "interviews").mkdir()
    (folder / "interviews" / "participants.csv").write_text(
        "participant,family,role,age,sex,real_name,survey_id\nC-A,,child,12,F,,30\n", encoding="utf-8")
    with (folder / "study.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[qual]\nfolder = "interviews"\n')
    return folder


def test_stratified_json(tmp_path, capsys):
    folder = make_small_study(tmp_path / "s")
    assert main(["select", str(folder), "--n", "2", "--json"]) == 0
    chosen = json.loads(capsys.readouterr().out)["chosen"]
    assert len(chosen) == 8  # 2 from each of the four groups
    assert all("drawn from migration" in row["reason"] for row in chosen)


def test_extreme_cases_are_recorded_in_the_sampling_log(tmp_path, capsys):
    folder = study_with_interviews(tmp_path / "s")
    assert main(["select", str(folder), "--strategy", "extreme", "--n", "3", "--record", "--json"]) == 0
    chosen = json.loads(capsys.readouterr().out)["chosen"]
    log = query.sampling_frame(open_store(folder))
    assert len(log) == 3
    assert list(log["target"]) == [row["participant"] for row in chosen]
    assert all("than predicted by" in reason for reason in log["reason"])


def test_errors(tmp_path, capsys):
    folder = make_small_study(tmp_path / "s")
    assert main(["select", str(folder), "--strategy", "nope"]) == 2
    assert main(["select", str(folder), "--record"]) == 2
    assert main(["select", str(folder), "--strategy", "high-low", "--high", "depression"]) == 2
    assert "--high" in capsys.readouterr().err


def test_link_column_decides_which_participant_a_chosen_case_is(tmp_path, capsys):
    names = {}
    for link in ("case_no", None):
        folder = make_small_study(tmp_path / str(link))
        assert main(["select", str(folder), "--strategy", "extreme", "--n", "1", "--json"]) == 0
        case = json.loads(capsys.readouterr().out)["chosen"][0]["id"]
        (folder / "interviews").mkdir()
        (folder / "interviews" / "participants.csv").write_text(
            f"participant,family,role,age,sex,real_name,case_no\nC-A,,child,12,F,,{case}\n", encoding="utf-8")
        with (folder / "study.toml").open("a", encoding="utf-8") as handle:
            handle.write('\n[qual]\nfolder = "interviews"\n' + (f'link_column = "{link}"\n' if link else ""))
        assert main(["select", str(folder), "--strategy", "extreme", "--n", "1", "--record", "--json"]) == 0
        names[link] = (json.loads(capsys.readouterr().out)["chosen"][0]["participant"], case)
    assert names["case_no"][0] == "C-A"                       # linked through [qual] link_column
    assert names[None][0] == f"S-{names[None][1]}"            # default survey_id: a new participant
