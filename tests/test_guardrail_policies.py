"""The generated project's guardrails (policies/checkov): each policy fails a violating sample and
passes a compliant one, run by checkov as the generated CI runs it (--external-checks-dir).

One checkov run over every sample (a folder each), so the test costs one checkov start. That the
generated Terraform itself passes the policies is the checkov-terraform checker's job (it loads
policies/checkov in every variant)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tools import run, tool

BUCKET_AWS = """
resource "aws_s3_bucket" "this" {
  bucket = "example-data"
}
"""

# check id -> sample name -> (compliant?, HCL). Names say the cloud; each sample is its own folder.
SAMPLES: dict[str, dict[str, tuple[bool, str]]] = {
    "CKV2_MLOPS_1": {
        "aws-cmk": (
            True,
            BUCKET_AWS
            + """
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/example"
    }
  }
}
""",
        ),
        "aws-managed-key": (
            False,
            BUCKET_AWS
            + """
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
""",
        ),
    },
    "CKV2_MLOPS_2": {
        "aws-cmk": (
            True,
            """
resource "aws_ecr_repository" "this" {
  name = "example"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:eu-west-1:111122223333:key/example"
  }
}
""",
        ),
        "aws-aes256": (
            False,
            """
resource "aws_ecr_repository" "this" {
  name = "example"
  encryption_configuration {
    encryption_type = "AES256"
  }
}
""",
        ),
        "gcp-cmk": (
            True,
            """
resource "google_artifact_registry_repository" "this" {
  repository_id = "example"
  format        = "DOCKER"
  kms_key_name  = "projects/p/locations/europe-west4/keyRings/r/cryptoKeys/k"
}
""",
        ),
        "gcp-google-key": (
            False,
            """
resource "google_artifact_registry_repository" "this" {
  repository_id = "example"
  format        = "DOCKER"
}
""",
        ),
    },
    "CKV2_MLOPS_3": {
        "aws-cmk": (
            True,
            """
resource "aws_launch_template" "this" {
  name = "example"
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      encrypted  = true
      kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/example"
    }
  }
}
""",
        ),
        "aws-default-ebs-key": (
            False,
            """
resource "aws_launch_template" "this" {
  name = "example"
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      encrypted = true
    }
  }
}
""",
        ),
        "gcp-cmk": (
            True,
            """
resource "google_compute_instance" "this" {
  name         = "example"
  machine_type = "g2-standard-8"
  zone         = "europe-west4-a"
  boot_disk {
    kms_key_self_link = "projects/p/locations/europe-west4/keyRings/r/cryptoKeys/k"
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    subnetwork = "default"
  }
}
""",
        ),
        "gcp-google-key": (
            False,
            """
resource "google_container_node_pool" "this" {
  name    = "example"
  cluster = "example"
  node_config {
    machine_type = "g2-standard-8"
  }
}
""",
        ),
    },
    "CKV2_MLOPS_4": {
        "aws-cmk": (
            True,
            """
resource "aws_cloudwatch_log_group" "this" {
  name       = "/aws/example"
  kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/example"
}
""",
        ),
        "aws-no-key": (
            False,
            """
resource "aws_cloudwatch_log_group" "this" {
  name = "/aws/example"
}
""",
        ),
    },
    "CKV2_MLOPS_5": {
        "gcp-cmk": (
            True,
            """
resource "google_storage_bucket" "this" {
  name     = "example-data"
  location = "EU"
  encryption {
    default_kms_key_name = "projects/p/locations/eu/keyRings/r/cryptoKeys/k"
  }
}
""",
        ),
        "gcp-google-key": (
            False,
            """
resource "google_storage_bucket" "this" {
  name     = "example-data"
  location = "EU"
}
""",
        ),
    },
    "CKV2_MLOPS_6": {
        "aws-blocked": (
            True,
            BUCKET_AWS
            + """
resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
""",
        ),
        "aws-policy-may-open": (
            False,
            BUCKET_AWS
            + """
resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = false
}
""",
        ),
    },
    "CKV2_MLOPS_7": {
        "gcp-enforced": (
            True,
            """
resource "google_storage_bucket" "this" {
  name                     = "example-data"
  location                 = "EU"
  public_access_prevention = "enforced"
}
""",
        ),
        "gcp-inherited": (
            False,
            """
resource "google_storage_bucket" "this" {
  name     = "example-data"
  location = "EU"
}
""",
        ),
        "gcp-all-users": (
            False,
            """
resource "google_storage_bucket_iam_member" "this" {
  bucket = "example-data"
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}
""",
        ),
    },
    "CKV2_MLOPS_8": {
        "aws-private": (
            True,
            """
resource "aws_subnet" "this" {
  vpc_id                  = "vpc-123"
  cidr_block              = "10.0.0.0/24"
  map_public_ip_on_launch = false
}
""",
        ),
        "aws-public-subnet": (
            False,
            """
resource "aws_subnet" "this" {
  vpc_id                  = "vpc-123"
  cidr_block              = "10.0.0.0/24"
  map_public_ip_on_launch = true
}
""",
        ),
        "gcp-private": (
            True,
            """
resource "google_compute_instance" "this" {
  name         = "example"
  machine_type = "g2-standard-8"
  zone         = "europe-west4-a"
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    subnetwork = "default"
  }
}
""",
        ),
        "gcp-external-ip": (
            False,
            """
resource "google_compute_instance" "this" {
  name         = "example"
  machine_type = "g2-standard-8"
  zone         = "europe-west4-a"
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    subnetwork = "default"
    access_config {}
  }
}
""",
        ),
    },
    "CKV2_MLOPS_9": {
        "aws-cidr-limited": (
            True,
            """
resource "aws_eks_cluster" "this" {
  name     = "example"
  role_arn = "arn:aws:iam::111122223333:role/example"
  vpc_config {
    subnet_ids             = ["subnet-1"]
    endpoint_public_access = true
    public_access_cidrs    = ["203.0.113.0/24"]
  }
}
""",
        ),
        "aws-open-to-all": (
            False,
            """
resource "aws_eks_cluster" "this" {
  name     = "example"
  role_arn = "arn:aws:iam::111122223333:role/example"
  vpc_config {
    subnet_ids             = ["subnet-1"]
    endpoint_public_access = true
  }
}
""",
        ),
        "gcp-authorised": (
            True,
            """
resource "google_container_cluster" "this" {
  name     = "example"
  location = "europe-west4"
  private_cluster_config {
    enable_private_nodes   = true
    master_ipv4_cidr_block = "172.16.0.0/28"
  }
  master_authorized_networks_config {
    cidr_blocks {
      cidr_block = "203.0.113.0/24"
    }
  }
}
""",
        ),
        "gcp-no-authorised-networks": (
            False,
            """
resource "google_container_cluster" "this" {
  name     = "example"
  location = "europe-west4"
  private_cluster_config {
    enable_private_nodes   = true
    master_ipv4_cidr_block = "172.16.0.0/28"
  }
}
""",
        ),
    },
    "CKV2_MLOPS_10": {
        "aws-catalogue": (
            True,
            """
resource "aws_launch_template" "this" {
  name          = "example"
  instance_type = "g6.xlarge"
}
""",
        ),
        "aws-off-catalogue": (
            False,
            """
resource "aws_launch_template" "this" {
  name          = "example"
  instance_type = "p3.16xlarge"
}
""",
        ),
        "gcp-catalogue": (
            True,
            """
resource "google_container_node_pool" "this" {
  name    = "example"
  cluster = "example"
  node_config {
    machine_type = "a2-highgpu-1g"
  }
}
""",
        ),
        "gcp-off-catalogue": (
            False,
            """
resource "google_container_node_pool" "this" {
  name    = "example"
  cluster = "example"
  node_config {
    machine_type = "a2-megagpu-16g"
  }
}
""",
        ),
    },
    "CKV_MLOPS_1": {
        "aws-tagged": (
            True,
            """
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { Owner = "ml-platform", CostCenter = "cc-1", Environment = "dev", DataClassification = "internal" }
  }
}
""",
        ),
        "aws-no-cost-center": (
            False,
            """
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { Owner = "ml-platform", Environment = "dev", DataClassification = "internal" }
  }
}
""",
        ),
        "gcp-labelled": (
            True,
            """
provider "google" {
  project = "p"
  default_labels = {
    owner = "ml-platform", cost-center = "cc-1", environment = "dev", data-classification = "internal"
  }
}
""",
        ),
        "gcp-no-labels": (
            False,
            """
provider "google" {
  project = "p"
}
""",
        ),
    },
}


@pytest.fixture(scope="module")
def verdicts(default_project, tmp_path_factory) -> dict[tuple[str, str], set[str]]:
    """(check id, sample) -> the results ('passed', 'failed') checkov gave that check in that sample."""
    root = tmp_path_factory.mktemp("guardrails")
    shutil.copytree(default_project / "policies" / "checkov", root / "policies")
    for check_id, samples in SAMPLES.items():
        for name, (_, hcl) in samples.items():
            folder = root / "samples" / check_id / name
            folder.mkdir(parents=True)
            (folder / "main.tf").write_text(hcl)
    command = [tool("checkov"), "--directory", "samples", "--framework", "terraform", "--skip-download"]
    command += ["--compact", "-o", "json", "--external-checks-dir", "policies", "--check", ",".join(SAMPLES)]
    result = run(
        command,
        cwd=root,
        env={"BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"},
    )
    report = json.loads(result.stdout)  # raises, with checkov's output, if checkov failed to run
    found: dict[tuple[str, str], set[str]] = {}
    for verdict in ("passed", "failed"):
        for entry in report["results"][f"{verdict}_checks"]:
            check_id, name = Path(entry["file_path"]).parent.parts[-2:]
            assert check_id in SAMPLES, entry["file_path"]
            found.setdefault((entry["check_id"], name), set()).add(verdict)
    return found


CASES = [(check, name, compliant) for check, samples in SAMPLES.items() for name, (compliant, _) in samples.items()]


@pytest.mark.parametrize(("check_id", "name", "compliant"), CASES, ids=[f"{c}-{n}" for c, n, _ in CASES])
def test_policy_judges_sample(verdicts, check_id, name, compliant):
    said = verdicts.get((check_id, name))
    assert said == ({"passed"} if compliant else {"failed"}), (
        f"{check_id} on {name}: expected {'pass' if compliant else 'fail'}, checkov said {said}"
    )


def test_every_policy_has_samples(default_project):
    """Each policy file of the generated project is tested above, both ways."""
    ids = set()
    for path in (default_project / "policies" / "checkov").iterdir():
        text = path.read_text()
        if path.suffix == ".yaml":
            ids.add(text.split("id:", 1)[1].split()[0])
        elif path.suffix == ".py" and 'id="' in text:
            ids.add(text.split('id="', 1)[1].split('"', 1)[0])
    missing, stale = ids - set(SAMPLES), set(SAMPLES) - ids
    assert not missing and not stale, f"policies without samples: {missing}; samples without a policy: {stale}"
    for check_id, samples in SAMPLES.items():
        assert {compliant for compliant, _ in samples.values()} == {True, False}, check_id
