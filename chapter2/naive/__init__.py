"""Loop-based versions of the tensor operations of section 2.3.

Each function here does by hand, one entry at a time, what a single NumPy call
does at full speed. They exist to be read: notebooks 03 (element-wise
operations and broadcasting) and 04 (tensor product and reshaping) show them
(with ``chapter2.source.show_source``), run them next to NumPy, and time the
difference. Inputs are checked and
never modified; the functions always return new arrays.

=============================== ================================ =========
function                        NumPy equivalent                 section
=============================== ================================ =========
naive_relu                      np.maximum(x, 0)                 2.3.1
naive_add                       x + y (same shapes)              2.3.1
naive_add_matrix_and_vector     x + y, x (m, n), y (n,)          2.3.2
naive_broadcast_shape           np.broadcast_shapes              2.3.2
naive_broadcast_to              np.broadcast_to (as a copy)      2.3.2
naive_broadcast_add             x + y (any broadcastable shapes) 2.3.2
source_index                    (where a stretched entry reads)  2.3.2
naive_vector_dot                np.dot(x, y), vectors            2.3.3
naive_matrix_vector_dot         np.dot(x, y), x (m, n), y (n,)   2.3.3
naive_matrix_dot                x @ y, matrices                  2.3.3
naive_dot_shape                 np.dot(a, b).shape               2.3.3
naive_reshape                   x.reshape(shape)                 2.3.4
naive_transpose                 x.T, matrices                    2.3.4
=============================== ================================ =========
"""

from .broadcasting import (
    naive_add_matrix_and_vector,
    naive_broadcast_add,
    naive_broadcast_shape,
    naive_broadcast_to,
    source_index,
)
from .dot import naive_dot_shape, naive_matrix_dot, naive_matrix_vector_dot, naive_vector_dot
from .elementwise import naive_add, naive_relu
from .reshaping import naive_reshape, naive_transpose

__all__ = [
    "naive_relu",
    "naive_add",
    "naive_add_matrix_and_vector",
    "naive_broadcast_shape",
    "naive_broadcast_to",
    "naive_broadcast_add",
    "source_index",
    "naive_vector_dot",
    "naive_matrix_vector_dot",
    "naive_matrix_dot",
    "naive_dot_shape",
    "naive_reshape",
    "naive_transpose",
]
