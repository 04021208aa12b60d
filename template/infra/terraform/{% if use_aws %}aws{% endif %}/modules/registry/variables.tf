variable "name" {
  description = "Repository name prefix (the project slug): repositories are <name>/<repository>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,60}$", var.name))
    error_message = "name: expected lowercase letters, digits or '-', starting with a letter."
  }
}

variable "repositories" {
  description = "Repositories to create (one per image)."
  type        = list(string)
  default     = ["train", "serve"]

  validation {
    condition     = length(var.repositories) > 0 && alltrue([for r in var.repositories : can(regex("^[a-z][a-z0-9-]*$", r))])
    error_message = "repositories: expected one or more lowercase names such as train, serve."
  }
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the images."
  type        = string
}

variable "untagged_image_days" {
  description = "Days before untagged images expire."
  type        = number
  default     = 14

  validation {
    condition     = var.untagged_image_days >= 1
    error_message = "untagged_image_days: expected 1 or more."
  }
}

variable "max_tagged_images" {
  description = "Images kept per repository (the oldest expire first)."
  type        = number
  default     = 100

  validation {
    condition     = var.max_tagged_images >= 1
    error_message = "max_tagged_images: expected 1 or more."
  }
}

variable "tags" {
  description = "Tags added to every repository."
  type        = map(string)
  default     = {}
}
