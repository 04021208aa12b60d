print("hook ran")
