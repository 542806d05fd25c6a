"""What a training step costs: the matrix products in its compiled graph."""

import tensorflow as tf

PRODUCTS = ("MatMul", "BatchMatMulV2", "BatchMatMulV3")


def matrix_products(function, *specs):
    """The (m, k, n) of every matrix product in the graph that tf.function builds for these inputs.

    The graph holds the forward pass and, when the function takes gradients, the backward pass too.
    """
    graph = function.get_concrete_function(*specs).graph
    shapes = []
    for operation in graph.get_operations():
        if operation.type not in PRODUCTS:
            continue
        left, right = (tensor.shape.as_list()[-2:] for tensor in operation.inputs[:2])
        if operation.get_attr("transpose_a" if operation.type == "MatMul" else "adj_x"):
            left.reverse()
        if operation.get_attr("transpose_b" if operation.type == "MatMul" else "adj_y"):
            right.reverse()
        if None in left + right:
            raise ValueError(f"{operation.name} has an unknown dimension: give the batch size in the specs.")
        shapes.append((left[0], left[1], right[1]))
    return shapes


def gflop(shapes):
    """Floating-point operations of these products, in GFLOP: m * k * n multiply-adds are 2 m k n."""
    return sum(2 * m * k * n for m, k, n in shapes) / 1e9


def train_step_specs(config):
    """Input signatures of one training batch: images (batch, 784) and one-hot labels (batch, 10)."""
    return (tf.TensorSpec([config.batch_size, config.timestamp_size * config.input_num], tf.float32),
            tf.TensorSpec([config.batch_size, config.num_classes], tf.float32))
