variable "project_id" {
  description = "Google Cloud project id."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id: 6-30 lowercase letters, digits or '-'."
  }
}

variable "location" {
  description = "Location of the key ring: the region of the resources it encrypts."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.location))
    error_message = "location: expected a Google Cloud region such as us-central1."
  }
}

variable "key_ring_name" {
  description = "Name of the key ring (key rings cannot be deleted: choose a stable name)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,63}$", var.key_ring_name))
    error_message = "key_ring_name: expected 1-63 letters, digits, '_' or '-'."
  }
}

variable "keys" {
  description = "Keys to create: name => { encrypters = { static label => IAM member allowed to encrypt and decrypt } }."
  type = map(object({
    encrypters = map(string)
  }))

  validation {
    condition     = alltrue([for name in keys(var.keys) : can(regex("^[a-zA-Z0-9_-]{1,63}$", name))])
    error_message = "keys: expected key names of 1-63 letters, digits, '_' or '-'."
  }

  validation {
    condition = alltrue(flatten([
      for spec in values(var.keys) : [for m in values(spec.encrypters) : can(regex("^(serviceAccount|group|user):", m))]
    ]))
    error_message = "keys: expected encrypters that are IAM members such as serviceAccount:name@project.iam.gserviceaccount.com."
  }
}

variable "rotation_period" {
  description = "Automatic rotation period of every key, in seconds with an 's' suffix (at most 90 days)."
  type        = string
  default     = "7776000s"

  validation {
    condition     = can(regex("^[0-9]+s$", var.rotation_period)) && try(tonumber(trimsuffix(var.rotation_period, "s")) >= 86400 && tonumber(trimsuffix(var.rotation_period, "s")) <= 7776000, false)
    error_message = "rotation_period: expected between 86400s (1 day) and 7776000s (90 days)."
  }
}

variable "protection_level" {
  description = "SOFTWARE or HSM."
  type        = string
  default     = "SOFTWARE"

  validation {
    condition     = contains(["SOFTWARE", "HSM"], var.protection_level)
    error_message = "protection_level: expected SOFTWARE or HSM."
  }
}

variable "labels" {
  description = "Labels applied to every key."
  type        = map(string)
  default     = {}
}
