"""The one gate in front of every state-changing route.

Sign-in and roles arrive with accounts; until then the gate admits everyone, and because every
route that writes already depends on it, enforcing roles later changes this file alone.
"""

from typing import Annotated

from fastapi import Depends, Request


def require_editor(request: Request) -> None:
    """Admit a request that may change data (everyone, until accounts exist)."""
    return None


EditorDep = Annotated[None, Depends(require_editor)]
