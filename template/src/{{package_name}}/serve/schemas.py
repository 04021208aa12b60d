"""Request and response models: pydantic turns bad input into a 422 naming the field."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# The user key's length limit, for the body's `user_id` and the X-User-Id header alike.
MAX_USER_ID_LENGTH = 128


class Customer(BaseModel):
    # forbid: a typo in a field name is an error, not a silently ignored value;
    # allow_inf_nan=False: JSON's NaN/Infinity never reach the model (they would make a 500).
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    tenure_months: int = Field(ge=0, le=120, description="Months as a customer")
    monthly_charges: float = Field(ge=0, le=1000, description="Monthly bill")
    support_calls: int = Field(ge=0, le=50, description="Support calls in the last quarter")
    age: int = Field(ge=18, le=120)
    contract: Literal["monthly", "annual", "biennial"]
    data_usage_gb: float = Field(ge=0, le=10000)


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
