"""Filling a .docx template in a separate worker process, bounded in time and memory.

docxtpl runs the template's code through jinja2; a template a person edited may loop for
ever or build gigabytes of text. So rendering happens in a child process (started once and
kept, so a document costs milliseconds, not an interpreter start) with an address-space
limit, and the parent stops waiting after a time limit and kills it. The worker is started
with multiprocessing's "spawn", so a program using it guards its main module with
``if __name__ == "__main__"`` (the console scripts and pytest do). Inside, jinja2 runs
sandboxed with StrictUndefined (a misspelt field is an error, not an empty string) and
autoescaping (``&`` and ``<`` in data stay text instead of breaking or injecting XML).
"""

from __future__ import annotations

import atexit
import io
import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any

from euregionet_desktop.errors import NextStep, TemplateError
from euregionet_desktop.i18n import _

TIME_LIMIT = 30.0  # seconds for one document; a 100-cluster directory takes well under 2
MEMORY_LIMIT = 1536 * 1024 * 1024  # address space of the worker
MAX_OUTPUT = 200 * 1024 * 1024
# The context's images (the programme's logos): {"programme.eu_emblem": bytes, ...}, placed
# as pictures of equal height where the template names them (documents.schema.IMAGES).
IMAGES_KEY = "__images__"


def _with_images(document, context: dict[str, Any]) -> dict[str, Any]:
    """The context with each image of ``IMAGES_KEY`` in place of its empty text."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    from euregionet_desktop.documents.logos import LOGO_HEIGHT_MM

    images = context.get(IMAGES_KEY) or {}
    context = {key: value for key, value in context.items() if key != IMAGES_KEY}
    for path, data in images.items():
        group, name = path.split(".", 1)
        context[group] = {**context[group], name: InlineImage(
            document, io.BytesIO(data), height=Mm(LOGO_HEIGHT_MM))}
    return context


def render_docx(template: bytes, context: dict[str, Any]) -> bytes:
    """Fill ``template`` with ``context`` in this process (the worker's job)."""
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from euregionet_desktop.documents.check import plain_template_quotes
    from euregionet_desktop.documents.finish import keep_with_previous, language_runs

    class _Template(DocxTemplate):
        def render_properties(self, context, jinja_env=None):
            # python-docx escapes property text itself; autoescaping here as well would
            # turn "&" into "&amp;amp;".
            super().render_properties(context, jinja_env.overlay(autoescape=False))

    environment = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    # Word's typographic quotes inside template code are read as plain ones (the check says so).
    document = _Template(io.BytesIO(plain_template_quotes(template)))
    document.render(_with_images(document, context), jinja_env=environment, autoescape=True)
    output = io.BytesIO()
    document.save(output)
    # Text in the other language: runs of their own, tagged with their language; the
    # signature block on the page of what now stands before it.
    return keep_with_previous(language_runs(output.getvalue()))


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: the time limit still applies
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(connection: Connection, memory_limit: int) -> None:
    """The worker's loop: a (template, context) in, ("ok", bytes) or a problem out."""
    _limit_memory(memory_limit)
    import docxtpl  # noqa: F401  (imported once, before the first request is timed)
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        template, context = request
        try:
            result: tuple = ("ok", render_docx(template, context))
            if len(result[1]) > MAX_OUTPUT:
                result = ("memory", "")
        except MemoryError:
            result = ("memory", "")
        except UndefinedError as error:
            result = ("undefined", str(error))
        except SecurityError as error:
            result = ("security", str(error))
        except TemplateSyntaxError as error:
            result = ("syntax", f"{error.message} (line {error.lineno})")
        except Exception as error:  # reported to the parent as a refusal
            result = ("failed", f"{type(error).__name__}: {error}")
        try:
            connection.send(result)
        except MemoryError:
            connection.send(("memory", ""))


class RenderWorker:
    """A child process that fills templates; restarted after it was stopped."""

    def __init__(self, *, time_limit: float = TIME_LIMIT,
                 memory_limit: int = MEMORY_LIMIT) -> None:
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None
        self._lock = threading.Lock()  # one document at a time through the pipe

    def start(self) -> None:
        """Start the worker now (e.g. in the background before the first document)."""
        with self._lock:
            self._ensure_started()

    def _ensure_started(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._connection:
            return self._connection
        self._stop()
        # spawn, not fork: the parent may hold Qt, threads and an open database.
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(child, self.memory_limit),
                                  name="euregionet-render", daemon=True)
        process.start()
        child.close()
        self._process, self._connection = process, parent
        return parent

    def render(self, template: bytes, context: dict[str, Any]) -> bytes:
        """The filled document, or TemplateError saying why the template was refused."""
        with self._lock:
            connection = self._ensure_started()
            try:
                connection.send((template, context))
                finished = connection.poll(self.time_limit)
                status, payload = connection.recv() if finished else ("timeout", "")
            except (EOFError, OSError):
                status, payload = "crashed", ""
            if status in ("timeout", "memory", "crashed"):
                self._stop()  # it may be stuck in the loop; a new one starts next time
        if status == "ok":
            return payload
        raise _problem(status, payload, self.time_limit)

    def _stop(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None

    def close(self) -> None:
        with self._lock:
            if self._connection is not None and self._process is not None \
                    and self._process.is_alive():
                try:
                    self._connection.send(None)
                    self._process.join(2)
                except OSError:
                    pass  # the worker is gone already; _stop() below makes sure
            self._stop()


def _problem(status: str, detail: str, time_limit: float) -> TemplateError:
    if status == "timeout":
        return TemplateError(_(
            "Filling the template took longer than {seconds} seconds and was stopped. "
            "Check its loops (“for”) and try again.").format(seconds=round(time_limit)))
    if status == "memory":
        return TemplateError(_(
            "Filling the template needed more memory than allowed and was stopped. "
            "Check its loops (“for”) and try again."))
    if status == "crashed":
        return TemplateError(_(
            "The program part that fills templates stopped unexpectedly. Try again; if it "
            "happens again, check the template."), next_step=NextStep.CHECK_TEMPLATE)
    if status == "undefined":
        return TemplateError(_(
            "The template uses a field this document does not have ({detail}).").format(
            detail=detail), next_step=NextStep.CHECK_TEMPLATE)
    if status == "security":
        return TemplateError(_(
            "The template tries to run code that templates may not use ({detail}).").format(
                detail=detail))
    if status == "syntax":
        return TemplateError(_(
            "The template's placeholders cannot be read: {detail}.").format(detail=detail))
    return TemplateError(_("The template could not be filled: {detail}.").format(detail=detail),
                         next_step=NextStep.CHECK_TEMPLATE)


_shared: RenderWorker | None = None
_shared_lock = threading.Lock()


def shared_worker() -> RenderWorker:
    """The process's one render worker (closed when the process ends)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = RenderWorker()
            atexit.register(_shared.close)
        return _shared
