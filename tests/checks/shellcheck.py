"""Shell scripts of the rendered project are shellcheck-clean (deploy/k8s/render.sh, deploy/models.sh,
docker/train/entrypoint.sh, the VM's startup and registry-login scripts)."""

from shell_scripts import shell_scripts, shellcheck

from . import checker


@checker("shellcheck")
def check(project, answers):
    return shellcheck(project, shell_scripts(project))
