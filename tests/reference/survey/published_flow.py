"""Copy the published sample flow of Wang (2023) into published_flow.json.

The figures are transcribed from the article in the team's shared transcription,
/work/shared/reference/wang2023_published_figures.json. Run from the repository root:
    python tests/reference/survey/published_flow.py [path/to/wang2023_published_figures.json]
"""

import json
import sys
from pathlib import Path


def main(source: Path) -> None:
    figures = json.loads(source.read_text(encoding="utf-8"))
    out = {"source": figures["source"], "sample_flow": figures["sample_flow"], "table1_n": figures["table1"]["n"]}
    Path("tests/reference/survey/published_flow.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/reference/wang2023_published_figures.json"))
