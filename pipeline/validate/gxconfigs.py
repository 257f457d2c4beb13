"""An expectation's configuration, built once per expectation instance in a suite run instead of once per read.

GX reads an expectation's kwargs through `Expectation.configuration`, a property that serialises the
pydantic model (`dict(exclude_defaults=True)`) into a new `ExpectationConfiguration` each time it is
read, and its kwargs helpers read it once per key: `_get_domain_kwargs` once per domain key,
`_get_success_kwargs` once per success key and the domain keys again, `_get_runtime_kwargs` those and
then once or twice per runtime key. For each metric an expectation asks for, GX's
`get_metric_kwargs` also turns that configuration back into a new expectation instance
(`ExpectationConfiguration.to_domain_obj`, a pydantic validation) to read its kwargs again. The 39
expectations of a suite run built ~5,400 configurations and ~620 instances: two fifths of the
validation of a 4-page report.

Inside `shared_configurations()` both are made once: an expectation instance's configuration once,
and a configuration's instance once, and kept while the block lasts; outside it GX is unchanged.
Neither is changed once made: GX makes a new instance from a stored configuration for each step of
a run and sets no field of one; it changes a configuration (the batch id it adds) on its own deep
copy before that copy's instance is made; the one write after (a result's `rendered_content`, with
Cloud's inline renderer) goes to the configuration of that result's own instance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_Memo = dict[tuple[str, int], tuple[Any, Any]]  # (kind, id(owner)) → (owner, what was made from it)
_ACTIVE: ContextVar[_Memo | None] = ContextVar("nianbao_expectation_configurations", default=None)
_PATCHED = "_nianbao_shared_configurations"


def _once(kind: str, owner: Any, make: Callable[[Any], Any]) -> Any:
    """`make(owner)`, made once per owner within the current `shared_configurations()` block."""
    memo = _ACTIVE.get()
    if memo is None:
        return make(owner)
    hit = memo.get((kind, id(owner)))
    if hit is not None and hit[0] is owner:
        return hit[1]
    made = make(owner)
    memo[(kind, id(owner))] = (owner, made)  # the owner is held: its id stays its own
    return made


@contextmanager
def shared_configurations() -> Iterator[None]:
    """Within the block each expectation's configuration, and each configuration's expectation, is made once."""
    token = _ACTIVE.set({})
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def install(expectation_class: Any, configuration_class: Any) -> None:
    """Route `expectation_class.configuration` and `configuration_class.to_domain_obj` through the block's
    memo (once; a GX where either is not what this expects is left alone)."""
    prop = getattr(expectation_class, "configuration", None)
    to_domain_obj = getattr(configuration_class, "to_domain_obj", None)
    if getattr(expectation_class, _PATCHED, False) or not isinstance(prop, property) or prop.fget is None:
        return
    if not callable(to_domain_obj):
        return
    build = prop.fget

    def configuration(self: Any) -> Any:
        return _once("configuration", self, build)

    def shared_to_domain_obj(self: Any) -> Any:
        return _once("expectation", self, to_domain_obj)

    expectation_class.configuration = property(configuration, doc=prop.__doc__)
    configuration_class.to_domain_obj = shared_to_domain_obj
    setattr(expectation_class, _PATCHED, True)
