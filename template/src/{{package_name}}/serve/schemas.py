"""Request and response models: pydantic turns bad input into a 422 naming the field."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..features import CATEGORICAL, DESCRIPTIONS, NUMERIC

# The user key's length limit, for the body's `user_id` and the X-User-Id header alike.
MAX_USER_ID_LENGTH = 128


class _Strict(BaseModel):
    # forbid: a typo in a field name is an error, not a silently ignored value;
    # allow_inf_nan=False: JSON's NaN/Infinity never reach the model (they would make a 500).
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _fields() -> dict:
    """The request's fields, from the feature contract: types, ranges and labels are defined once."""
    fields: dict = {
        name: (int if is_integer else float, Field(ge=low, le=high, description=DESCRIPTIONS[name]))
        for name, (low, high, is_integer) in NUMERIC.items()
    }
    for name, levels in CATEGORICAL.items():
        fields[name] = (Literal[levels], Field(description=DESCRIPTIONS[name]))  # type: ignore[valid-type]
    return fields


Customer = create_model("Customer", __base__=_Strict, **_fields())


class PredictRequest(Customer):
    user_id: str | None = Field(
        default=None,
        max_length=MAX_USER_ID_LENGTH,
        description="Sticky key of the A/B split (else the X-User-Id header)",
    )


class PredictResponse(BaseModel):
    churn_probability: float
    churned: bool
    variant: str
    model_version: str
