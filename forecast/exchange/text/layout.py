"""A bundle as files and files as a bundle (pure: paths -> text, no disk).

    forecastle.toml                      the bundle's own fields (format, schema_version, ...)
    sources/<uuid>.toml                  an imported article with its passages and notes
    questions/<uuid>.toml                a question: outcomes, priors, evidence, tree, comments, ...
    questions/<uuid>.forecasts.csv       its forecasts, append-only, oldest first

Each file is the bundle model's own fields, dumped generically, so a field added to the bundle
models appears in the text without a change here.
"""

from __future__ import annotations

import tomllib
from typing import Any

import rtoml
from pydantic import BaseModel, ValidationError

from forecast.exchange.bundle_models import (
    FORMAT,
    SCHEMA_VERSION,
    Bundle,
    BundleQuestion,
    BundleSource,
)
from forecast.exchange.text.forecasts_csv import (
    CsvProblem,
    cell_column,
    read_forecasts,
    write_forecasts,
)
from forecast.exchange.text.locate import dotted, locate, path_in_message, value_at
from forecast.exchange.text.toml_write import dumps
from questions.errors import InvalidInput

MANIFEST = "forecastle.toml"
HEADER = "# A forecastle workspace as text: forecastle import text DIR (see the README).\n"
FORECASTS_SUFFIX = ".forecasts.csv"


def question_path(uuid: str) -> str:
    return f"questions/{uuid}.toml"


def forecasts_path(uuid: str) -> str:
    return f"questions/{uuid}{FORECASTS_SUFFIX}"


def source_path(uuid: str) -> str:
    return f"sources/{uuid}.toml"


def _plain(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True)


def question_files(question: BundleQuestion) -> dict[str, str]:
    data = _plain(question)
    forecasts = data.pop("forecasts")
    files = {question_path(question.uuid): dumps(data)}
    if forecasts:
        files[forecasts_path(question.uuid)] = write_forecasts(forecasts)
    return files


def bundle_files(bundle: Bundle) -> dict[str, str]:
    """Every file of the bundle's text form, by path relative to the text directory."""
    head = _plain(bundle)
    head.pop("sources")
    head.pop("questions")
    files = {MANIFEST: HEADER + dumps(head)}
    for source in bundle.sources:
        files[source_path(source.uuid)] = dumps(_plain(source))
    for question in bundle.questions:
        files.update(question_files(question))
    return files


# reading -----------------------------------------------------------------------------------------


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def load_toml(text: str, where: str) -> dict[str, Any]:
    """Parse with rtoml (a Rust TOML parser, about 7x the standard library's speed, which ``diff``
    and ``import text`` need on thousands of files); a file it refuses is parsed again with
    ``tomllib``, whose error names the line and column."""
    try:
        parsed: dict[str, Any] = rtoml.loads(text)
        return parsed
    except rtoml.TomlParsingError:
        pass
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line, column = 1, 1
        if "(at line " in message:
            message, _, position = message.rpartition(" (at line ")
            numbers = position.rstrip(")").split(", column ")
            line, column = int(numbers[0]), int(numbers[1]) if len(numbers) > 1 else 1
        elif "(at end of document)" in message:
            message = message.replace(" (at end of document)", "")
            line = text.count("\n") + 1
        raise InvalidInput(f"{where}:{line}:{column}: not valid TOML: {message}") from None


def _refusal(
    error: ValidationError, data: dict[str, Any], text: str, where: str, csv: tuple[str, str] | None
) -> InvalidInput:
    """One line, ``FILE:LINE:COLUMN: field: value: what is allowed``, for a model's first error."""
    first = error.errors(include_url=False)[0]
    path: tuple[str | int, ...] = tuple(first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    value = first.get("input")
    named, rest = path_in_message(message)
    if named and (not path or isinstance(value, dict)):  # a rule across fields names its field
        path, message = (*path, *named), rest
        value = value_at(data, path)
    if (
        path[:1] == ("forecasts",)
        and csv is not None
        and len(path) >= 2
        and isinstance(path[1], int)
    ):
        csv_where, csv_text = csv
        rows = data["forecasts_lines"]
        line = rows[path[1]] if path[1] < len(rows) else 1
        field = str(path[2]) if len(path) > 2 else "row"
        column = cell_column(csv_text, line, field) if len(path) > 2 else 1
        return InvalidInput(f"{csv_where}:{line}:{column}: {field}: {_shown(value)}: {message}")
    line, column = locate(text, path)
    return InvalidInput(
        f"{where}:{line}:{column}: {dotted(path) or 'file'}: {_shown(value)}: {message}"
    )


def read_question(
    text: str, where: str, forecasts: tuple[str, str] | None = None
) -> BundleQuestion:
    """A question file (and its forecasts CSV: ``(where, text)``) as a checked bundle question."""
    data = load_toml(text, where)
    lines: list[int] = []
    if forecasts is not None:
        csv_where, csv_text = forecasts
        try:
            rows, starts = read_forecasts(csv_text)
        except CsvProblem as exc:
            raise InvalidInput(
                f"{csv_where}:{exc.line}:{exc.column}: {exc.field}: {_shown(exc.value)}: {exc.allowed}"
            ) from None
        data["forecasts"] = rows
        lines = [line for line, _ in starts]
    elif "forecasts" in data:
        line, column = locate(text, ("forecasts",))
        raise InvalidInput(
            f"{where}:{line}:{column}: forecasts: ...: forecasts belong in the question's {FORECASTS_SUFFIX} file"
        )
    try:
        return BundleQuestion.model_validate(data)
    except ValidationError as exc:
        raise _refusal(exc, {**data, "forecasts_lines": lines}, text, where, forecasts) from None


def read_source(text: str, where: str) -> BundleSource:
    data = load_toml(text, where)
    try:
        return BundleSource.model_validate(data)
    except ValidationError as exc:
        raise _refusal(exc, data, text, where, None) from None


def _check_name(model: BundleQuestion | BundleSource, path: str, text: str, where: str) -> None:
    expected = (
        question_path(model.uuid) if isinstance(model, BundleQuestion) else source_path(model.uuid)
    )
    if expected != path:
        line, column = locate(text, ("uuid",))
        raise InvalidInput(
            f"{where}:{line}:{column}: uuid: {model.uuid!r}: the file's name must be its uuid ({expected})"
        )


def read_files(files: dict[str, str], where: str) -> Bundle:
    """The bundle that a text directory's files (path -> text) hold; ``where`` names the directory
    in messages. Refuses, with one line naming file, line and column, anything it cannot take."""
    if MANIFEST not in files:
        raise InvalidInput(f"{where}: not a forecastle text directory (no {MANIFEST})")
    head = load_toml(files[MANIFEST], f"{where}/{MANIFEST}")
    version = head.get("schema_version")
    if head.get("format") != FORMAT or not isinstance(version, int) or isinstance(version, bool):
        raise InvalidInput(
            f'{where}/{MANIFEST}:1:1: format: {_shown(head.get("format"))}: "{FORMAT}" with a whole-number schema_version'
        )
    if version > SCHEMA_VERSION:
        raise InvalidInput(
            f"{where}/{MANIFEST}: written by a newer forecastle (schema_version {version}; this one reads"
            f" up to {SCHEMA_VERSION}); upgrade forecastle to import it"
        )
    sources: list[BundleSource] = []
    questions: list[BundleQuestion] = []
    for path in sorted(files):
        text = files[path]
        at = f"{where}/{path}"
        if path.startswith("sources/") and path.endswith(".toml"):
            source = read_source(text, at)
            _check_name(source, path, text, at)
            sources.append(source)
        elif path.startswith("questions/") and path.endswith(".toml"):
            csv_path = path.removesuffix(".toml") + FORECASTS_SUFFIX
            forecasts = (f"{where}/{csv_path}", files[csv_path]) if csv_path in files else None
            question = read_question(text, at, forecasts)
            _check_name(question, path, text, at)
            questions.append(question)
        elif (
            path.endswith(FORECASTS_SUFFIX)
            and path.removesuffix(FORECASTS_SUFFIX) + ".toml" not in files
        ):
            raise InvalidInput(
                f"{at}:1:1: file: {path!r}: forecasts need their question's .toml beside them"
            )
    sources.sort(key=lambda s: (s.imported_at, s.uuid))
    questions.sort(key=lambda q: (q.created_at, q.uuid))
    try:
        return Bundle.model_validate({**head, "sources": sources, "questions": questions})
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        raise InvalidInput(
            f"{where}/{MANIFEST}:1:1: {dotted(tuple(first['loc'])) or 'bundle'}: {_shown(first.get('input'))}: {message}"
        ) from None
