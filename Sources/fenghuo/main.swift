print("fenghuo")
