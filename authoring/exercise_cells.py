"""The exercise sections of the chapter notebooks, and the tool that appends them.

Run from the repository root with notebook numbers, e.g.
``python authoring/exercise_cells.py 02 03``: the exercise section of each
notebook (cells tagged ``chapter2-exercise``) is replaced by the cells below.
Then re-execute the notebook and check it with nbval.
"""

import inspect
import re
import sys
import textwrap
from pathlib import Path

from chapter2.classroom.authoring import (append_exercises, check_cell, code_cell, markdown_cell,
                                          solution_cell)
from chapter2.autodiff import elementwise_op
from chapter2.exercises import (backprop, broadcasting, derivatives, first_look, geometry, looking_back,
                                sgd, tensor_product, tensors)

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

INTRO = """## Exercises

Time to practise. Each exercise has a cell for your answer and, right below it, a check cell. Run both: the check prints **Correct!** when your answer is right, or explains kindly what went wrong (a wrong shape, the first input where the result is off, an error in your code, why a chosen reason does not hold...) without giving the answer away. The exercises marked *explain why* ask for a reason: pick the letter of the option that explains it.

In this copy of the notebook each answer cell holds a worked solution, **folded away**: JupyterLab shows only an ellipsis (…) where its code would be. Try first; unfold it only to compare. To practise on a copy without solutions, run `python -m chapter2 assignments --out my-work/` and open the notebooks in `my-work/`: there the answer cells start with `raise NotImplementedError`, which you replace with your code."""


def section(module, *exercises):
    cells = [markdown_cell(INTRO), code_cell(f"from chapter2.exercises import {module}")]
    for exercise in exercises:
        cells.extend(exercise)
    return cells


def exercise(number, title, prose, grade_id, source, check, points, hint, sections, why=False):
    """One exercise: its prose (headed by the chapter sections it practises), answer cell and check cell."""
    label = f"{'section' if '–' not in sections and ',' not in sections else 'sections'} {sections}"
    kind = ", explain why" if why else ""
    return [markdown_cell(f"### Exercise {number} ({label}{kind}): {title}\n\n{prose}"),
            solution_cell(source, grade_id, hint=hint),
            check_cell(check, f"{grade_id}-check", points)]


SECTIONS = {}


def _dedented_source(function):
    """A function's source, dedented, for a code block in an exercise's prose."""
    return textwrap.dedent(inspect.getsource(function))


def _without_docstring(function):
    """A function's source without its docstring, for a code block in an exercise's prose."""
    source = _dedented_source(function)
    return re.sub(r'\n    """.*?"""\n', "\n", source, count=1, flags=re.S)

SECTIONS["02"] = section(
    "tensors",
    exercise(1, "cut out a batch",
             "Write `get_batch(data, batch_size, n)` that returns batch number `n` of `data`, "
             "cut along the samples axis as in section 2.2.7 (batches are numbered from 0, and the "
             "last one may be shorter). It should work for a tensor of any rank.",
             "get_batch",
             "def get_batch(data, batch_size, n):\n"
             "    ### BEGIN SOLUTION\n"
             "    return data[batch_size * n:batch_size * (n + 1)]\n"
             "    ### END SOLUTION",
             "tensors.check_get_batch(get_batch)", 1,
             "slice axis 0 from batch_size * n", sections="2.2.7"),
    exercise(2, "crop every image at once",
             "Write `centre_crop(images, margin)` for a stack of images of shape "
             "`(samples, height, width)`: drop `margin` pixels on each of the four sides of every "
             "image, with a single slice. Make sure `margin = 0` gives back the whole images "
             "(what does `images[:, 0:-0]` select?).",
             "centre_crop",
             "def centre_crop(images, margin):\n"
             "    ### BEGIN SOLUTION\n"
             "    height, width = images.shape[1], images.shape[2]\n"
             "    return images[:, margin:height - margin, margin:width - margin]\n"
             "    ### END SOLUTION",
             "tensors.check_centre_crop(centre_crop)", 2,
             "slice axes 1 and 2; count the stop from the size of the axis", sections="2.2.6"),
    exercise(3, "how many batches?",
             "Write `count_batches(num_samples, batch_size)`: how many batches one pass over the "
             "data takes, counting the last, smaller batch if there is one. For MNIST with batches "
             "of 128 the recap above tells you what to expect.",
             "count_batches",
             "def count_batches(num_samples, batch_size):\n"
             "    ### BEGIN SOLUTION\n"
             "    full_batches, leftover = divmod(num_samples, batch_size)\n"
             "    return full_batches + (1 if leftover else 0)\n"
             "    ### END SOLUTION",
             "tensors.check_count_batches(count_batches)", 1,
             "divmod gives the full batches and what is left over", sections="2.2.7"),
    exercise(4, "rank and shape at a glance",
             "For each expression printed below, predict the pair `(ndim, shape)` of the array it makes, "
             "without running it, and return the six pairs as a list, in order.",
             "my_attributes",
             "for number, expression in enumerate(tensors.ATTRIBUTE_QUESTIONS, start=1):\n"
             "    print(f\"{number}. {expression}\")\n\n\n"
             "def my_attributes():\n"
             "    ### BEGIN SOLUTION\n"
             "    return [(0, ()), (1, (4,)), (2, (3, 5)), (3, (2, 3, 4)), (3, (128, 28, 28)), (1, (28,))]\n"
             "    ### END SOLUTION",
             "tensors.check_attribute_predictions(my_attributes)", 1,
             "return a list of six pairs (ndim, shape)", sections="2.2.1–2.2.7"),
    exercise(5, "the shape of real data",
             "For each data set printed below, write the shape of the tensor that holds it, with the "
             "samples axis first and the layouts of sections 2.2.8 to 2.2.12. Return the four shapes "
             "as a list of tuples, in order.",
             "my_data_shapes",
             "for number, description in enumerate(tensors.DATA_QUESTIONS, start=1):\n"
             "    print(f\"{number}. {description}\")\n\n\n"
             "def my_data_shapes():\n"
             "    ### BEGIN SOLUTION\n"
             "    return [(2000, 12), (365, 24, 4), (64, 32, 32, 3), (8, 16, 64, 64, 1)]\n"
             "    ### END SOLUTION",
             "tensors.check_data_shapes(my_data_shapes)", 1,
             "samples first; images and video end with a channels axis", sections="2.2.8–2.2.12"),
    exercise(6, "why batches are cut along axis 0",
             tensors.WHY_BATCHES.as_markdown() + "\n\nReturn the letter of your choice from `my_answer()`.",
             "why_batches",
             "def my_answer():\n"
             "    ### BEGIN SOLUTION\n"
             "    return 'a'\n"
             "    ### END SOLUTION",
             "tensors.check_why_batches(my_answer)", 1,
             "return one letter, as a string", sections="2.2.7", why=True),
)

SECTIONS["03"] = section(
    "broadcasting",
    exercise(1, "a leaky ReLU, as a loop",
             "A *leaky* ReLU keeps positive entries and multiplies the others by a small slope "
             "`alpha` instead of zeroing them. Write `naive_leaky_relu(x, alpha)` with a loop over "
             "`np.ndindex(x.shape)`, like `naive_relu` above: return a new array of the same shape "
             "and dtype, and leave `x` unchanged.",
             "naive_leaky_relu",
             "def naive_leaky_relu(x, alpha):\n"
             "    ### BEGIN SOLUTION\n"
             "    out = x.copy()\n"
             "    for index in np.ndindex(x.shape):\n"
             "        if x[index] <= 0:\n"
             "            out[index] = alpha * x[index]\n"
             "    return out\n"
             "    ### END SOLUTION",
             "broadcasting.check_naive_leaky_relu(naive_leaky_relu)", 2,
             "copy x, then loop over np.ndindex(x.shape)", sections="2.3.1"),
    exercise(2, "predict broadcast shapes",
             "Without running any code, apply the three steps of the rule to each pair of shapes "
             "below, and write the resulting shape, or `None` if the pair does not broadcast. "
             "Return the six answers as a list, in order.",
             "my_predictions",
             "for number, (shape_a, shape_b) in enumerate(broadcasting.PREDICTION_PAIRS, start=1):\n"
             "    print(f\"{number}. {shape_a} with {shape_b}\")\n\n\n"
             "def my_predictions():\n"
             "    ### BEGIN SOLUTION\n"
             "    return [(128, 10), (8, 7, 6), None, (5, 3, 4), (2, 3), (64, 28, 28)]\n"
             "    ### END SOLUTION",
             "broadcasting.check_broadcast_predictions(my_predictions)", 1,
             "return a list of six shapes (tuples) or None", sections="2.3.2"),
    exercise(3, "add a column vector",
             "`naive_add_matrix_and_vector` adds a vector to every **row**. Write "
             "`naive_add_column(x, c)` that adds `c` to every **column** instead, so that `c[i]` is "
             "added to every entry of row `i`, for "
             "`x` of shape `(m, n)` and `c` of shape `(m,)`, with two loops. (Why does `x + c` not "
             "do this? Think about how the shapes line up.)",
             "naive_add_column",
             "def naive_add_column(x, c):\n"
             "    ### BEGIN SOLUTION\n"
             "    out = x.copy()\n"
             "    for i in range(x.shape[0]):\n"
             "        for j in range(x.shape[1]):\n"
             "            out[i, j] = x[i, j] + c[i]\n"
             "    return out\n"
             "    ### END SOLUTION",
             "broadcasting.check_naive_add_column(naive_add_column)", 2,
             "loop over rows i and columns j; row i gets c[i]", sections="2.3.2"),
    exercise(4, "why x + c fails",
             broadcasting.WHY_NOT_COLUMNS.as_markdown() + "\n\nReturn the letter of your choice from `my_answer()`.",
             "why_not_columns",
             "def my_answer():\n"
             "    ### BEGIN SOLUTION\n"
             "    return 'a'\n"
             "    ### END SOLUTION",
             "broadcasting.check_why_not_columns(my_answer)", 1,
             "return one letter, as a string", sections="2.3.2", why=True),
    exercise(5, "predict the shapes of reductions",
             "Without running any code, work out the shape of the result of each reduction below: "
             "which axis disappears, and what `keepdims=True` keeps. Return the seven shapes as a "
             "list of tuples, in order (a single number has shape `()`).",
             "my_reductions",
             "for number, case in enumerate(broadcasting.REDUCTION_CASES, start=1):\n"
             "    print(f\"{number}. {broadcasting.describe_reduction(case)}\")\n\n\n"
             "def my_reductions():\n"
             "    ### BEGIN SOLUTION\n"
             "    return [(128,), (128, 1), (10,), (28, 28), (60000, 28), (), (2, 1, 4)]\n"
             "    ### END SOLUTION",
             "broadcasting.check_reduction_predictions(my_reductions)", 1,
             "return a list of seven shapes (tuples)", sections="2.3.2"),
)

SECTIONS["04"] = section(
    "tensor_product",
    exercise(1, "matrix times vector, with loops",
             "Write `loop_matrix_vector_dot(A, v)` for `A` of shape `(rows, n)` and `v` of shape "
             "`(n,)`, using only loops, `*` and `+` on single numbers (no `np.dot`, no `@`): entry "
             "`i` of the result is the dot product of row `i` of `A` with `v`.",
             "loop_matrix_vector_dot",
             "def loop_matrix_vector_dot(A, v):\n"
             "    ### BEGIN SOLUTION\n"
             "    result = np.zeros(A.shape[0])\n"
             "    for i in range(A.shape[0]):\n"
             "        for k in range(A.shape[1]):\n"
             "            result[i] += A[i, k] * v[k]\n"
             "    return result\n"
             "    ### END SOLUTION",
             "tensor_product.check_loop_matrix_vector_dot(loop_matrix_vector_dot)", 2,
             "one running sum per row of A", sections="2.3.3"),
    exercise(2, "flatten a batch of images",
             "Write `flatten_images(images)` that turns a stack of shape `(samples, height, width)` "
             "into the `(samples, height * width)` matrix a `Dense` layer reads, keeping each "
             "image's pixels in reading order. It must work for any image size.",
             "flatten_images",
             "def flatten_images(images):\n"
             "    ### BEGIN SOLUTION\n"
             "    return images.reshape(images.shape[0], -1)\n"
             "    ### END SOLUTION",
             "tensor_product.check_flatten_images(flatten_images)", 1,
             "reshape, keeping axis 0", sections="2.3.4"),
    exercise(3, "predict the shape of a product",
             "For each pair below, predict the shape of `np.dot(a, b)` with the shape rule, or "
             "`None` if the product is not possible. Return the six answers as a list, in order.",
             "my_dot_shapes",
             "for number, (shape_a, shape_b) in enumerate(tensor_product.DOT_PAIRS, start=1):\n"
             "    print(f\"{number}. np.dot(a, b) with a of shape {shape_a}, b of shape {shape_b}\")\n\n\n"
             "def my_dot_shapes():\n"
             "    ### BEGIN SOLUTION\n"
             "    return [(32, 512), (), None, (10, 2, 3), None, (128, 10)]\n"
             "    ### END SOLUTION",
             "tensor_product.check_dot_shape_predictions(my_dot_shapes)", 1,
             "return a list of six shapes (tuples) or None", sections="2.3.3"),
    exercise(4, "why swapping the operands can fail",
             tensor_product.WHY_NOT_COMMUTE.as_markdown() + "\n\nReturn the letter of your choice from `my_answer()`.",
             "why_not_commute",
             "def my_answer():\n"
             "    ### BEGIN SOLUTION\n"
             "    return 'a'\n"
             "    ### END SOLUTION",
             "tensor_product.check_why_not_commute(my_answer)", 1,
             "return one letter, as a string", sections="2.3.3", why=True),
)

SECTIONS["05"] = section(
    "geometry",
    exercise(1, "rotate a batch of points",
             "Write `rotate_points(points, angle)` that turns every row of `points` (shape "
             "`(n, 2)`) counter-clockwise by `angle` degrees around the origin. You may use "
             "`rotation` from `chapter2.transforms`; mind the layout note above (points are rows).",
             "rotate_points",
             "def rotate_points(points, angle):\n"
             "    ### BEGIN SOLUTION\n"
             "    return points @ rotation(angle).T\n"
             "    ### END SOLUTION",
             "geometry.check_rotate_points(rotate_points)", 2,
             "build the matrix with rotation(angle), then multiply the rows", sections="2.3.5"),
    exercise(2, "two affine maps make one",
             "Write `compose_affine(W1, b1, W2, b2)` that returns the pair `(W, b)` of the single "
             "affine map `p ↦ W p + b` that does `p ↦ W1 p + b1` first and `p ↦ W2 p + b2` "
             "second. Substitute the first map into the second on paper before coding.",
             "compose_affine",
             "def compose_affine(W1, b1, W2, b2):\n"
             "    ### BEGIN SOLUTION\n"
             "    return W2 @ W1, W2 @ b1 + b2\n"
             "    ### END SOLUTION",
             "geometry.check_compose_affine(compose_affine)", 2,
             "expand W2 (W1 p + b1) + b2", sections="2.3.5"),
    exercise(3, "why depth needs relu",
             geometry.WHY_NONLINEARITY.as_markdown() + "\n\nReturn the letter of your choice from `my_answer()`.",
             "why_nonlinearity",
             "def my_answer():\n"
             "    ### BEGIN SOLUTION\n"
             "    return 'b'\n"
             "    ### END SOLUTION",
             "geometry.check_why_nonlinearity(my_answer)", 1,
             "return one letter, as a string", sections="2.3.6", why=True),
)

SECTIONS["06"] = section(
    "derivatives",
    exercise(1, "a derivative by hand",
             "The function `derivatives.cubic` is `f(x) = x³ − 3x² + 2x − 5`. Work out its "
             "derivative on paper with the power rule, then write it as `cubic_derivative(x)`. "
             "The check compares it with a central-difference measurement at several points.",
             "cubic_derivative",
             "def cubic_derivative(x):\n"
             "    ### BEGIN SOLUTION\n"
             "    return 3 * x ** 2 - 6 * x + 2\n"
             "    ### END SOLUTION",
             "derivatives.check_cubic_derivative(cubic_derivative)", 2,
             "power rule, one term at a time", sections="2.4.1"),
    exercise(2, "a gradient by hand",
             "`derivatives.valley(p)` is `(p₀ − 1)² + 3 (p₁ + 2)² + p₀ p₁` for a point `p` of "
             "shape `(2,)`. Write `valley_gradient(p)` returning both partial derivatives as an "
             "array of shape `(2,)`.",
             "valley_gradient",
             "def valley_gradient(p):\n"
             "    ### BEGIN SOLUTION\n"
             "    return np.array([2 * (p[0] - 1) + p[1], 6 * (p[1] + 2) + p[0]])\n"
             "    ### END SOLUTION",
             "derivatives.check_valley_gradient(valley_gradient)", 2,
             "one partial derivative per entry, holding the other fixed", sections="2.4.2"),
    exercise(3, "measure a slope yourself",
             "Write `central_difference(f, x, h)`: the slope of `f` at `x` measured with a "
             "central difference that looks a distance `h` to each side of `x`, as "
             "`numerical_derivative` does with `h = 1e-6`.",
             "central_difference",
             "def central_difference(f, x, h):\n"
             "    ### BEGIN SOLUTION\n"
             "    return (f(x + h) - f(x - h)) / (2 * h)\n"
             "    ### END SOLUTION",
             "derivatives.check_central_difference(central_difference)", 1,
             "rise over run, from x - h to x + h", sections="2.4.1"),
    exercise(4, "why train on the loss",
             derivatives.WHY_LOSS_NOT_ACCURACY.as_markdown() + "\n\nReturn the letter of your choice from `my_answer()`.",
             "why_loss_not_accuracy",
             "def my_answer():\n"
             "    ### BEGIN SOLUTION\n"
             "    return 'b'\n"
             "    ### END SOLUTION",
             "derivatives.check_why_loss_not_accuracy(my_answer)", 1,
             "return one letter, as a string", sections="2.4.1–2.4.2", why=True),
    exercise(5, "a cross-entropy that survives p = 0",
             "Write `binary_crossentropy(p, y)` for probabilities `p` of class 1 (shape `(n,)`) and true "
             "classes `y` of 0s and 1s (shape `(n,)`): return, for every sample, minus the log of the "
             "probability given to its true class, as an array of shape `(n,)`. Clip `p` into "
             "`[1e-7, 1 - 1e-7]` first, as the notebook's guard does, so that a certain wrong answer "
             "costs a large finite amount instead of infinity. Do it with whole-array operations, "
             "no loop.",
             "binary_crossentropy",
             "def binary_crossentropy(p, y):\n"
             "    ### BEGIN SOLUTION\n"
             "    p = np.clip(p, 1e-7, 1 - 1e-7)\n"
             "    return -np.log(np.where(y == 1, p, 1 - p))\n"
             "    ### END SOLUTION",
             "derivatives.check_binary_crossentropy(binary_crossentropy)", 2,
             "clip, pick p or 1 - p with np.where, then -np.log", sections="2.4.2"),
    exercise(6, "why −log p",
             derivatives.WHY_LOG_LOSS.as_markdown() + "\n\nReturn the letter of your choice from `my_answer()`.",
             "why_log_loss",
             "def my_answer():\n"
             "    ### BEGIN SOLUTION\n"
             "    return 'c'\n"
             "    ### END SOLUTION",
             "derivatives.check_why_log_loss(my_answer)", 1,
             "return one letter, as a string", sections="2.4.2", why=True),
    exercise(7, "uphill, downhill or level?",
             "At some point of a surface the gradient is `derivatives.DIRECTION_GRADIENT`, printed below with "
             "three directions. For each direction, predict without running anything whether a small step "
             "along it makes the function rise (`'+'`), fall (`'-'`) or stay level to first order (`'0'`). "
             "Return the three signs as a list of strings, in order.",
             "my_signs",
             "print(\"gradient:\", derivatives.DIRECTION_GRADIENT.tolist())\n"
             "for name, u in derivatives.DIRECTIONS:\n"
             "    print(f\"{name} = {u.tolist()}\")\n\n\n"
             "def my_signs():\n"
             "    ### BEGIN SOLUTION\n"
             "    return ['-', '0', '+']   # the signs of g · u: -1, 0 and +1\n"
             "    ### END SOLUTION",
             "derivatives.check_direction_signs(my_signs)", 1,
             "the sign of the dot product gradient · u", sections="2.4.2"),
)

SECTIONS["07"] = section(
    "sgd",
    exercise(1, "one SGD step",
             "Write `sgd_update(params, grad, lr)` returning the parameters after one step "
             "against the gradient. Return a new array and leave `params` unchanged (the caller "
             "may still need the old values).",
             "sgd_update",
             "def sgd_update(params, grad, lr):\n"
             "    ### BEGIN SOLUTION\n"
             "    return params - lr * grad\n"
             "    ### END SOLUTION",
             "sgd.check_sgd_update(sgd_update)", 1,
             "params ← params − lr · gradient, without modifying params", sections="2.4.3"),
    exercise(2, "one step with momentum",
             "Write `momentum_update(params, velocity, grad, lr, momentum)` following the "
             "momentum rule above, returning the pair `(new_params, new_velocity)`.",
             "momentum_update",
             "def momentum_update(params, velocity, grad, lr, momentum):\n"
             "    ### BEGIN SOLUTION\n"
             "    velocity = momentum * velocity - lr * grad\n"
             "    return params + velocity, velocity\n"
             "    ### END SOLUTION",
             "sgd.check_momentum_update(momentum_update)", 2,
             "update the velocity first, then move by it", sections="2.4.3"),
    exercise(3, "tune the learning rate",
             "Find the **smallest** learning rate, in steps of `0.01` (`0.01, 0.02, 0.03, ...`), with which "
             "30 steps of gradient descent on the valley `bowl`, from `sgd.START = (−4, 1.5)`, bring the "
             "loss below `0.001`. The losses printed above bracket it: `lr = 0.1` falls short and `lr = 0.18` "
             "gets there. The step factors tell you why: the rate must make the factor along `x`, the "
             "slow direction, small enough. Try the rates in between with `gradient_descent` and "
             "`bowl`, and return the smallest that works.",
             "my_learning_rate",
             "def my_learning_rate():\n"
             "    ### BEGIN SOLUTION\n"
             "    for hundredths in range(1, 21):\n"
             "        lr = hundredths / 100\n"
             "        path = gradient_descent(bowl_grad, list(sgd.START), lr=lr, steps=30)\n"
             "        if bowl(path)[-1] < 0.001:\n"
             "            return lr\n"
             "    ### END SOLUTION",
             "sgd.check_learning_rate(my_learning_rate)", 1,
             "return one number in steps of 0.01; the smallest that works", sections="2.4.3"),
    exercise(4, "the learning-rate limit",
             "Gradient descent on `f(w) = 3 w²` (curvature `f''(w) = 6`, the constant `sgd.CURVATURE`) multiplies `w` "
             "by the same factor at every step. The walk converges for every positive learning rate below a limit "
             "and diverges above it; at the limit itself the factor is −1, so the walk bounces between `w` and "
             "`−w` forever, the bounces neither growing nor shrinking. What is that limit? Return it as a number.",
             "my_rate_limit",
             "def my_rate_limit():\n"
             "    ### BEGIN SOLUTION\n"
             "    return 2 / sgd.CURVATURE\n"
             "    ### END SOLUTION",
             "sgd.check_rate_limit(my_rate_limit)", 1,
             "the factor is 1 - lr * 6; find where it reaches -1", sections="2.4.3"),
    exercise(5, "RMSprop's first step",
             sgd.WHY_RMSPROP_FIRST_STEP.as_markdown() + "\n\nReturn the letter of your choice from `my_answer()`.",
             "why_rmsprop_first_step",
             "def my_answer():\n"
             "    ### BEGIN SOLUTION\n"
             "    return 'b'\n"
             "    ### END SOLUTION",
             "sgd.check_why_rmsprop_first_step(my_answer)", 1,
             "return one letter, as a string", sections="2.4.3", why=True),
)


SECTIONS["01"] = section(
    "first_look",
    exercise(1, "prepare the images",
             "Write `prepare_images(images)` that does the preparation of this notebook for any "
             "number of images: from a `uint8` tensor of shape `(n, 28, 28)` to a `float32` matrix "
             "of shape `(n, 784)` with values between 0 and 1.",
             "prepare_images",
             "def prepare_images(images):\n"
             "    ### BEGIN SOLUTION\n"
             "    flat = images.reshape((len(images), 28 * 28))\n"
             "    return flat.astype('float32') / 255\n"
             "    ### END SOLUTION",
             "first_look.check_prepare_images(prepare_images)", 1,
             "reshape, then convert to float32, then scale", sections="2.1"),
    exercise(2, "one-hot labels by hand",
             "Write `one_hot(labels, num_classes)` that does what `to_categorical` did above: a "
             "`float32` matrix with one row per label, all zeros except a 1 in the label's column. "
             "(Hint: start from `np.zeros` and set one entry per row.)",
             "one_hot",
             "def one_hot(labels, num_classes):\n"
             "    ### BEGIN SOLUTION\n"
             "    result = np.zeros((len(labels), num_classes), dtype='float32')\n"
             "    result[np.arange(len(labels)), labels] = 1\n"
             "    return result\n"
             "    ### END SOLUTION",
             "first_look.check_one_hot(one_hot)", 1,
             "np.zeros((len(labels), num_classes), dtype='float32'), then one 1 per row", sections="2.1"),
    exercise(3, "measure accuracy yourself",
             "Write `my_accuracy(probabilities, labels)`: given the network's probabilities, shape "
             "`(n, 10)`, and the true digits, shape `(n,)`, return the fraction of samples for which "
             "the class given the highest probability is the true one. Try it on `test_probs` and "
             "`test_digits` afterwards: you should find the accuracy `evaluate` reported.",
             "my_accuracy",
             "def my_accuracy(probabilities, labels):\n"
             "    ### BEGIN SOLUTION\n"
             "    predicted = probabilities.argmax(axis=1)\n"
             "    return np.mean(predicted == labels)\n"
             "    ### END SOLUTION",
             "first_look.check_accuracy(my_accuracy)", 2,
             "the predicted class of a row is the position of its largest entry", sections="2.1"),
    exercise(4, "which accuracy to trust",
             first_look.WHY_TEST_SET.as_markdown() + "\n\nReturn the letter of your choice from `my_answer()`.",
             "why_test_set",
             "def my_answer():\n"
             "    ### BEGIN SOLUTION\n"
             "    return 'b'\n"
             "    ### END SOLUTION",
             "first_look.check_why_test_set(my_answer)", 1,
             "return one letter, as a string", sections="2.1", why=True),
)

SECTIONS["08"] = section(
    "backprop",
    exercise(1, "the chain rule on one number",
             "`backprop.inner_outer(x)` is `y = (x² + 1)³`. Split it into an inner and an outer step, "
             "as at the start of this notebook, and write its derivative as `chain_derivative(x)`.",
             "chain_derivative",
             "def chain_derivative(x):\n"
             "    ### BEGIN SOLUTION\n"
             "    u = x ** 2 + 1\n"
             "    return 3 * u ** 2 * (2 * x)\n"
             "    ### END SOLUTION",
             "backprop.check_chain_derivative(chain_derivative)", 1,
             "dy/dx = dy/du · du/dx with u = x² + 1", sections="2.4.4"),
    exercise(2, "the backward pass of relu",
             "Write `relu_backward(a, grad_h)`: given the input `a` of a relu and the gradient "
             "`grad_h` of the loss with respect to its output `h = relu(a)`, return the gradient with "
             "respect to `a` (same shape).",
             "relu_backward",
             "def relu_backward(a, grad_h):\n"
             "    ### BEGIN SOLUTION\n"
             "    return grad_h * (a > 0)\n"
             "    ### END SOLUTION",
             "backprop.check_relu_backward(relu_backward)", 1,
             "the gradient passes where a > 0 and is blocked elsewhere", sections="2.4.4"),
    exercise(3, "the backward pass of a Dense layer",
             "A `Dense` layer without activation computes `z = x @ W + b` for a batch `x` of shape "
             "`(batch, features)`. Write `dense_backward(x, W, grad_z)` returning the three "
             "gradients `(grad_x, grad_W, grad_b)`, with the shapes of `x`, `W` and `b`. Use the "
             "derivation of the matrix product's backward pass above (one entry first, then the "
             "matrix form), and remember that `b` is added to every row of the batch.",
             "dense_backward",
             "def dense_backward(x, W, grad_z):\n"
             "    ### BEGIN SOLUTION\n"
             "    grad_x = grad_z @ W.T\n"
             "    grad_W = x.T @ grad_z\n"
             "    grad_b = grad_z.sum(axis=0)\n"
             "    return grad_x, grad_W, grad_b\n"
             "    ### END SOLUTION",
             "backprop.check_dense_backward(dense_backward)", 2,
             "each gradient has the shape of what it is the gradient of", sections="2.4.4"),
    exercise(4, "find the two bugs",
             "The function below is meant to be the backward pass of a `Dense` layer with relu, "
             "`h = relu(x @ W + b)`: given the gradient `grad_h` that has arrived at `h`, it should "
             "return `(grad_x, grad_W, grad_b)` with the shapes of `x`, `W` and `b`. It has two bugs, "
             "and on a batch with as many samples as features it even runs without an "
             "error. It is `backprop.buggy_dense_relu_backward`, so you can run it on small inputs and "
             "look at the shapes.\n\n"
             f"```python\n{_without_docstring(backprop.buggy_dense_relu_backward)}```\n\n"
             "Compare each line with the derivations above (the matrix product, then the bias), and "
             "write the fixed function as `dense_relu_backward`. The check measures every gradient by "
             "finite differences and tells you which one is wrong.",
             "dense_relu_backward",
             "def dense_relu_backward(x, W, b, grad_h):\n"
             "    ### BEGIN SOLUTION\n"
             "    a = x @ W + b\n"
             "    grad_a = grad_h * (a > 0)\n"
             "    grad_x = grad_a @ W.T\n"
             "    grad_W = x.T @ grad_a\n"
             "    grad_b = grad_a.sum(axis=0)\n"
             "    return grad_x, grad_W, grad_b\n"
             "    ### END SOLUTION",
             "backprop.check_dense_relu_backward(dense_relu_backward)", 2,
             "print the shape of each gradient next to the shape of its parameter", sections="2.4.4"),
    exercise(5, "a new operation for the autodiff engine",
             "Extend `chapter2.autodiff` with one more operation, the way Karpathy's micrograd grows: "
             "`tanh`, the S-shaped squashing function, whose derivative is $1 - \\tanh(x)^2$. Every "
             "operation of the engine is wired the same way, as `Tensor.__mul__` showed above: "
             "compute the output, make its node, and attach a closure that multiplies the gradient "
             "arriving at the output by the local derivative and adds the result to the input's "
             "gradient. `chapter2.autodiff.elementwise_op` does that wiring once:\n\n"
             f"```python\n{_without_docstring(elementwise_op)}```\n\n"
             "so a new operation is only its mathematics, two functions on NumPy arrays:\n\n"
             "* `tanh_forward(x)`: the output's values `y` for the input's values `x`;\n"
             "* `tanh_backward(x, y, grad_y)`: given the input, the output and the gradient `grad_y` "
             "that has arrived at the output, the gradient for `x` (every array has `x`'s shape).\n\n"
             "Write both; the last line of the cell turns them into `tanh`, an operation on tensors. "
             "The check runs it in three small graphs and compares every gradient with finite "
             "differences.",
             "tanh",
             "def tanh_forward(x):\n"
             "    ### BEGIN SOLUTION\n"
             "    return np.tanh(x)\n"
             "    ### END SOLUTION\n\n\n"
             "def tanh_backward(x, y, grad_y):\n"
             "    ### BEGIN SOLUTION\n"
             "    return grad_y * (1 - y ** 2)\n"
             "    ### END SOLUTION\n\n\n"
             "tanh = elementwise_op(\"tanh\", tanh_forward, tanh_backward)",
             "backprop.check_tanh_op(tanh_forward, tanh_backward)", 2,
             "the chain rule: what arrived at the output, times the local derivative", sections="2.4.4"),
    exercise(6, "why backpropagation",
             backprop.WHY_BACKPROP.as_markdown() + "\n\nReturn the letter of your choice from `my_answer()`.",
             "why_backprop",
             "def my_answer():\n"
             "    ### BEGIN SOLUTION\n"
             "    return 'b'\n"
             "    ### END SOLUTION",
             "backprop.check_why_backprop(my_answer)", 1,
             "return one letter, as a string", sections="2.4.4", why=True),
)

SECTIONS["09"] = section(
    "looking_back",
    exercise(1, "count the weights",
             "Write `count_parameters(sizes)` for a stack of `Dense` layers: `sizes` lists the number "
             "of inputs and then the units of each layer, so the network of this chapter is "
             "`[784, 512, 10]`. Check your function against the table at the top of this notebook.",
             "count_parameters",
             "def count_parameters(sizes):\n"
             "    ### BEGIN SOLUTION\n"
             "    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))\n"
             "    ### END SOLUTION",
             "looking_back.check_count_parameters(count_parameters)", 1,
             "a kernel and a bias per layer", sections="2.5"),
    exercise(2, "read off the digits",
             "Write `predict_digits(params, x)` that returns the predicted digit (an integer) for "
             "each row of `x`, using `scratch.forward` from this notebook.",
             "predict_digits",
             "def predict_digits(params, x):\n"
             "    ### BEGIN SOLUTION\n"
             "    probs, _ = scratch.forward(params, x)\n"
             "    return probs.argmax(axis=1)\n"
             "    ### END SOLUTION",
             "looking_back.check_predict_digits(predict_digits)", 1,
             "forward gives probabilities; pick the largest in each row", sections="2.5"),
    exercise(3, "cross-entropy from plain digits",
             "`scratch.crossentropy` needs one-hot targets. Write "
             "`crossentropy_from_digits(probs, digits)` that takes the digits themselves, shape "
             "`(batch,)`, and returns the same mean loss without building any one-hot matrix: pick "
             "each row's probability of its true digit with fancy indexing, and clip it to "
             "`[1e-7, 1 - 1e-7]` as `scratch.crossentropy` does.",
             "crossentropy_from_digits",
             "def crossentropy_from_digits(probs, digits):\n"
             "    ### BEGIN SOLUTION\n"
             "    picked = probs[np.arange(len(digits)), digits]\n"
             "    return -np.mean(np.log(np.clip(picked, 1e-7, 1 - 1e-7)))\n"
             "    ### END SOLUTION",
             "looking_back.check_crossentropy_from_digits(crossentropy_from_digits)", 2,
             "probs[np.arange(batch), digits] picks one entry per row", sections="2.5"),
    exercise(4, "why the pixels are scaled",
             looking_back.WHY_SCALE.as_markdown() + "\n\nReturn the letter of your choice from `my_answer()`.",
             "why_scale",
             "def my_answer():\n"
             "    ### BEGIN SOLUTION\n"
             "    return 'b'\n"
             "    ### END SOLUTION",
             "looking_back.check_why_scale(my_answer)", 1,
             "return one letter, as a string", sections="2.5", why=True),
    exercise(5, "why the hidden layer helps",
             looking_back.WHY_HIDDEN.as_markdown() + "\n\nReturn the letter of your choice from `my_answer()`.",
             "why_hidden",
             "def my_answer():\n"
             "    ### BEGIN SOLUTION\n"
             "    return 'c'\n"
             "    ### END SOLUTION",
             "looking_back.check_why_hidden(my_answer)", 1,
             "return one letter, as a string", sections="2.5", why=True),
)

def main(numbers):
    for number in numbers:
        (path,) = NOTEBOOKS.glob(f"{number}_*.ipynb")
        append_exercises(path, SECTIONS[number])
        print("appended", len(SECTIONS[number]), "cells to", path.name)


if __name__ == "__main__":
    main(sys.argv[1:])
