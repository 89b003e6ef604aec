"""YAML loading that remembers the line of every key and list item, for `file:line` error messages."""

from typing import Any

import yaml

Path_ = tuple[str | int, ...]
# libyaml's parser when PyYAML was built with it: reading front matter is most of what parsing a page costs, and
# PyYAML's own parser is ~15x slower.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load_with_lines(text: str, first_line: int) -> tuple[Any, dict[Path_, int]]:
    """Parse `text` (which starts at file line `first_line`) into data and a map of key path -> file line."""
    try:
        node, data = _parse(text, _FAST_LOADER)
    except yaml.YAMLError:
        # libyaml words its errors less precisely ("did not find expected ','" where PyYAML says what it got
        # instead): an invalid file is parsed again by PyYAML for the message the editor reads.
        try:
            node, data = _parse(text, yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = first_line + (mark.line if mark else 0)
            message = f"invalid YAML: {exc.problem or exc.context}"
            if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
                # The mistake is often where the construct began (an unclosed bracket), not where it was noticed.
                message += f" ({exc.context} started at line {first_line + exc.context_mark.line})"
            raise YamlSyntaxError(line, message) from exc
        except yaml.YAMLError as exc:
            raise YamlSyntaxError(first_line, f"invalid YAML: {exc}") from exc
    lines: dict[Path_, int] = {(): first_line}
    if node is not None:
        _record(node, (), lines, first_line)
    return data, lines


def _parse(text: str, loader_class: Any) -> tuple[yaml.Node | None, Any]:
    """The document's node tree and the data built from it, in one pass of the parser."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _record(node: yaml.Node, path: Path_, lines: dict[Path_, int], first_line: int) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            _record(value_node, (*path, key), lines, first_line)
            # The key's own line is where an editor looks for "unknown field" or "bad value".
            lines[(*path, key)] = first_line + key_node.start_mark.line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = first_line + item.start_mark.line
            _record(item, (*path, index), lines, first_line)


def line_of(lines: dict[Path_, int], path: Path_) -> int:
    """The line of the longest prefix of `path` that has one (a missing key points at its parent)."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return lines[()]
