"""Two revisions of an article side by side, as readers see the text (not as HTML).

Pure logic: the body is cut into its blocks (paragraphs, headings, list items, quotes),
each block read as plain text, and the two lists of blocks are lined up with difflib,
so a changed paragraph sits beside its old self and an added one beside a gap. Within
a changed block the words that went and came are marked (``words``), so a reviewer
sees "every <del>two</del> <ins>three</ins> weeks", not two whole paragraphs.
"""

import difflib
import re
from dataclasses import dataclass, field
from html import unescape

_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption|td|th)>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


_WORD = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Row:
    kind: str  # "same", "changed", "added" or "removed"
    before: str
    after: str
    # The after side's place among its blocks (0: the title), None for a removed block.
    after_index: int | None = field(default=None, compare=False)

    @property
    def marked(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The before and after sides as (kind, text) pieces, words marked."""
        return words(self.before, self.after)


def words(before: str, after: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The two texts as pieces: ("same", text) on both sides, ("removed", text) on the
    before side and ("added", text) on the after side, word by word."""
    old, new = _WORD.findall(before or ""), _WORD.findall(after or "")
    left: list[tuple[str, str]] = []
    right: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            _append(left, "same", "".join(old[a1:a2]))
            _append(right, "same", "".join(new[b1:b2]))
            continue
        _append(left, "removed", "".join(old[a1:a2]))
        _append(right, "added", "".join(new[b1:b2]))
    return _joined(left), _joined(right)


def _joined(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Changed words with only a space between them read as one change."""
    joined: list[tuple[str, str]] = []
    for kind, text in pieces:
        if (
            len(joined) >= 2
            and kind != "same"
            and joined[-2][0] == kind
            and joined[-1][0] == "same"
            and joined[-1][1].isspace()
        ):
            gap = joined.pop()[1]
            joined[-1] = (kind, joined[-1][1] + gap + text)
        else:
            joined.append((kind, text))
    return joined


def _append(pieces: list[tuple[str, str]], kind: str, text: str) -> None:
    if not text:
        return
    if kind != "same":
        # The blank space around changed words is no change to mark.
        core = text.strip()
        if not core:
            return _append(pieces, "same", text)
        start = text.index(core)
        _append(pieces, "same", text[:start])
        _add(pieces, kind, core)
        return _append(pieces, "same", text[start + len(core) :])
    _add(pieces, kind, text)


def _add(pieces: list[tuple[str, str]], kind: str, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1][0] == kind:
        pieces[-1] = (kind, pieces[-1][1] + text)
    else:
        pieces.append((kind, text))


def blocks(title: str, body: str) -> list[str]:
    """The title, then each block of the body as plain text (empty blocks left out)."""
    texts = [title.strip()]
    for chunk in _BLOCK_END.split(body or ""):
        text = _SPACE.sub(" ", unescape(_TAG.sub(" ", chunk))).strip()
        if text:
            texts.append(text)
    return texts


def side_by_side(before: list[str], after: list[str]) -> list[Row]:
    """Line up two lists of blocks: equal, changed, added and removed rows."""
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend(Row("same", after[b], after[b], b) for b in range(b1, b2))
        elif op == "delete":
            rows.extend(Row("removed", text, "") for text in before[a1:a2])
        elif op == "insert":
            rows.extend(Row("added", "", after[b], b) for b in range(b1, b2))
        else:  # replace: pair them up, the longer side's rest added or removed
            old, new = before[a1:a2], after[b1:b2]
            for index in range(max(len(old), len(new))):
                left = old[index] if index < len(old) else ""
                right = new[index] if index < len(new) else ""
                kind = "changed" if left and right else ("removed" if left else "added")
                rows.append(Row(kind, left, right, b1 + index if right else None))
    return rows
