// Turning values into text: tensors, pictures, progress (issue 4).
