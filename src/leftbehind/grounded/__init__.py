"""Grounded-theory analyses over the query frames of the qualitative store (layer L3).

Every function takes the pandas frames of ``leftbehind.qual.query`` (codings, participants,
families, turns, documents, codes, categories, relations, interviews) and returns a frozen
result with ``to_frame()`` and ``to_dict()``:

- :func:`retrieve` — coded segments with speaker attributes, for constant comparison;
- :func:`code_attribute_matrix`, :func:`cooccurrence` — matrices;
- :func:`triangulate` — which family members' accounts carry each code;
- :func:`agreement` — percent agreement, Cohen's kappa, Krippendorff's alpha;
- :func:`search`, :func:`kwic`, :func:`word_frequencies` — text search and word counts;
- :func:`quotes` — quote extracts with informant descriptors;
- :func:`saturation` — new codes and categories per interview;
- :func:`paradigm_model` — categories by paradigm role, relations, core category.
"""

from leftbehind.grounded.agreement import Agreement, agreement
from leftbehind.grounded.matrices import CodeMatrix, code_attribute_matrix, cooccurrence
from leftbehind.grounded.paradigm import ParadigmModel, paradigm_model
from leftbehind.grounded.quotes import Quotes, describe, quotes
from leftbehind.grounded.retrieve import Segments, retrieve
from leftbehind.grounded.saturation import Saturation, saturation
from leftbehind.grounded.textsearch import SearchHits, WordFrequencies, kwic, search, tokenize, word_frequencies
from leftbehind.grounded.triangulation import Triangulation, triangulate

__all__ = [
    "Agreement", "CodeMatrix", "ParadigmModel", "Quotes", "Saturation", "SearchHits", "Segments",
    "Triangulation", "WordFrequencies", "agreement", "code_attribute_matrix", "cooccurrence",
    "describe", "kwic", "paradigm_model", "quotes", "retrieve", "saturation", "search", "tokenize",
    "triangulate", "word_frequencies",
]
