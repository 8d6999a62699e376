"""Identifier sources: the only code that talks to the network, one module per source.

Every source keeps one small contract (`Source`), so `resolve` chains them without knowing any of
them: the identifier schemes it answers, and `fetch_many`. Pacing, retries and the meaning of HTTP
failures are shared (`pacing`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar, Protocol

from ..model import IdScheme, Resolution


class Source(Protocol):
    """A registry refkit asks for works. Constructed as `Source(settings, network=..., backoff=...)`
    and used as a context manager (it holds connections)."""

    name: ClassVar[str]
    """Who answered, in reasons and messages: "Crossref", "doi.org", "NCBI"."""
    schemes: ClassVar[frozenset[IdScheme]]
    """The identifier schemes it answers."""

    def __enter__(self) -> Source: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def fetch_many(self, keys: Iterable[str], probes: Iterable[str] = ()) -> Iterator[Resolution]:
        """One Resolution per distinct key (`model.id_key`), yielded as answers arrive, with
        `Resolution.key` the key asked for: `found` with the work, `not_found`, or `unresolved` with
        the reason. A `not_found` naming a registration `agency` says "registered, but this source
        does not hold it": resolve hands the key to the next source for its scheme.

        `probes` are keys worth knowing only if they exist (repair candidates, a DOI PubMed gives):
        a source asks for them only where it costs no request of its own (inside batches) and
        answers only those it finds; a source without batches ignores them."""
        ...
