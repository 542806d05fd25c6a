"""The MNIST subset shipped with rnnlesson (data only; see README.md here)."""
