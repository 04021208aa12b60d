"""On a machine with a CUDA GPU: the training image's command line (its CMD, torchrun across the
node's GPUs) trains the generated PyTorch project on CUDA and writes the model.

Images are not built here (no container runtime works on these machines), so the command runs in
this Python environment, from a rendered project, as the image's entrypoint would run it after
pulling the stage's inputs. Without a GPU the test skips and says why.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import render
from test_deploy import exec_form, final_stage

pytestmark = pytest.mark.gpu

# Written into each training process: how much CUDA memory it used, per rank.
PROBE = """
import atexit, json, os
def _report():
    if "RANK" not in os.environ:  # torchrun's own agent process: it trains nothing
        return
    import torch
    used = torch.cuda.max_memory_allocated() if torch.cuda.is_available() else 0
    path = os.path.join(os.environ["GPU_PROBE_DIR"], f"rank-{os.environ['RANK']}.json")
    with open(path, "w") as handle:
        json.dump({"cuda_bytes": used}, handle)
atexit.register(_report)
"""


def cuda_or_skip():
    if importlib.util.find_spec("torch") is None:
        pytest.skip("torch is not installed here: the GPU training test needs PyTorch with CUDA")
    import torch

    if not torch.cuda.is_available():
        pytest.skip(f"no CUDA GPU on this machine (torch {torch.__version__}): the training image's command needs one")
    return torch.cuda.device_count()


def test_training_image_command_trains_on_cuda_and_writes_the_model(tmp_path):
    gpus = cuda_or_skip()
    answers = {"ml_framework": "pytorch", "experiment_tracking": "none", "compute_platform": "kubernetes"}
    project = render(tmp_path / "project", answers)
    package = next(p.name for p in (project / "src").iterdir() if p.is_dir())
    command = [exec_form(a) for n, a in final_stage(project / "docker/train/Dockerfile") if n == "CMD"][-1]
    assert command[0] == "torchrun" and "--nproc-per-node=gpu" in command
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "sitecustomize.py").write_text(PROBE)
    env = {
        **os.environ,
        "PROJECT_ROOT": str(project),
        "PYTHONPATH": os.pathsep.join([str(probe), str(project / "src")]),
        "GPU_PROBE_DIR": str(probe),
    }

    def run(*args):
        result = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False)
        assert result.returncode == 0, f"{args}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"

    # The stages before `train` (the entrypoint pulls their outputs from the DVC remote).
    run(sys.executable, "-m", f"{package}.data.prepare")
    if importlib.util.find_spec("pandera"):
        run(sys.executable, "-m", f"{package}.data.validate")
    else:  # validation is tested elsewhere; here only the training command matters
        shutil.copytree(project / "data/prepared", project / "data/validated")
    # The image's command, with this interpreter's torchrun.
    run(sys.executable, "-m", "torch.distributed.run", *command[1:])

    model = project / "models" / "model.pt"
    assert model.is_file() and model.stat().st_size > 0
    info = json.loads((project / "models" / "train_info.json").read_text())
    assert info["framework"] == "pytorch"
    reports = sorted(probe.glob("rank-*.json"))
    assert len(reports) == gpus, f"torchrun started {len(reports)} processes for {gpus} GPUs"
    assert all(json.loads(r.read_text())["cuda_bytes"] > 0 for r in reports), "a rank trained without CUDA"
