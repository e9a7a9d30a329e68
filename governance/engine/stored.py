"""OPA's input written to the managed OPA part by part, while the workspace is still loading.

At 100k systems OPA spends about 15 s turning the written input into its store's values, on a
core the loading leaves idle. A `StoredInput` takes each inventory kind as soon as it is validated
and writes it from a thread of its own, so that OPA converts systems while Python validates
datasets. It is only ever a head start: the report is asked on it only if every part was written,
to the very server that evaluates (`holds`); otherwise the whole input is written again, over it.
"""

from __future__ import annotations

import json
import queue
import threading

from governance.engine.client import STORED_INPUT, OpaSession, client_for
from governance.engine.server import ManagedOpa

_DONE = ("", b"")


class StoredInput:
    """Writes under data.govern_input of `opa`: first `{as_of, inventory: {}}`, then each part given
    to `put` (a kind's JSON under inventory/<kind>, "waivers" beside it) in order, then nothing more."""

    def __init__(self, opa: ManagedOpa, as_of: str, timeout: float) -> None:
        self.opa = opa
        self._as_of = as_of
        self._timeout = timeout
        self._parts: queue.SimpleQueue[tuple[str, bytes]] = queue.SimpleQueue()
        self._stopped = False  # a write failed, or the run is over: nothing more is written
        self._finished = False
        self._complete = False  # set by the writer alone, once it wrote every part `finish` promised
        self._thread = threading.Thread(target=self._write_all, name="govern-stored-input", daemon=True)
        self._thread.start()

    def put(self, kind: str, value_json: bytes) -> None:
        """Write `value_json` as inventory `kind` ("waivers": the input's waivers), soon."""
        if not self._stopped:  # after a failure nothing more is written: no need to hold it
            self._parts.put((kind, value_json))

    def finish(self) -> None:
        """Every part has been given: the input is complete once they are written."""
        self._finished = True
        self._parts.put(_DONE)

    def holds(self, opa: ManagedOpa) -> bool:
        """Does `opa` now hold the whole input? Waits for the writes. Only a writer that reached the
        end `finish` marked, every write before it answered, says yes; a failed write, another
        server, or a `finish` never called is a no: the caller writes the whole input itself."""
        if opa is not self.opa or not self._finished:
            return False
        self._thread.join()
        return self._complete

    def close(self) -> None:
        """Stop writing (the run ended or failed first); the thread ends with its current write (`join`)."""
        self._stopped = True
        self._parts.put(_DONE)

    def join(self) -> None:
        """Wait for the writing thread to end: after `close`, and at once once the OPA it writes to is stopped."""
        self._thread.join()

    def _write_all(self) -> None:
        try:
            self.opa.ready()
            session = OpaSession(client_for(self.opa.url, self._timeout, token=self.opa.token), self.opa.url)
            try:
                skeleton = json.dumps({"as_of": self._as_of, "inventory": {}}).encode()
                session.put_json(STORED_INPUT, skeleton, "starting the input")
                while (part := self._parts.get()) is not _DONE and not self._stopped:
                    kind, value = part
                    path = "waivers" if kind == "waivers" else f"inventory/{kind}"
                    session.put_json(f"{STORED_INPUT}/{path}", value, f"sending the input's {kind}")
                self._complete = self._finished and not self._stopped
            finally:
                session.client.close_connection()
        # Whatever went wrong (OPA, memory, a bug): the evaluation writes the whole input again and
        # says why if that fails too. Nothing is printed from this thread.
        except BaseException:  # noqa: BLE001
            self._stopped = True
