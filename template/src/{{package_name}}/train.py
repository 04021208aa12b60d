"""Stage `train`: fit the model on validated training data with the params.yaml hyper-parameters.

Single process: `python -m <package>.train`. Several GPUs or nodes (PyTorch):
`torchrun --nproc_per_node=<gpus> -m <package>.train`; rank 0 writes the model.
"""

from __future__ import annotations

import json

import pandas as pd

from . import model as model_lib
from . import tracking
from .champion import file_sha256
from .config import Paths, load_params, seed_everything
from .features import TARGET, matrix_from_frame


def run(paths: Paths, params: dict) -> dict | None:
    seed_everything(params["seed"])
    frame = pd.read_parquet(paths.validated_dir / "train.parquet")
    model = model_lib.fit(matrix_from_frame(frame), frame[TARGET].to_numpy(), params)
    if model is None:  # a non-zero rank of a distributed job: rank 0 saves and logs
        return None
    model_path = paths.models_dir / model_lib.MODEL_FILE
    model_lib.save(model, model_path)
    # The run is tagged with the model's sha256, so `evaluate` finds it without a run id in this
    # stage's outputs: a run id would make identical models look changed to DVC.
    with tracking.run(paths.root, file_sha256(model_path)):
        tracking.log_params({**params, "framework": model_lib.FRAMEWORK})
        tracking.log_artifact(model_path, "model")
    info = {"framework": model_lib.FRAMEWORK, "model_file": model_lib.MODEL_FILE, "params": params}
    (paths.models_dir / "train_info.json").write_text(json.dumps(info, indent=2) + "\n")
    return info


def main() -> None:
    paths = Paths.from_env()
    info = run(paths, load_params(paths)["train"])
    if info is not None:
        print(f"train: {info['framework']} model -> {paths.models_dir / info['model_file']}")


if __name__ == "__main__":
    main()
