"""Keras names a learner will type that chapter2 does not implement, and what to use instead.

chapter2 implements the part of Keras that the chapter (and the first
examples of the next chapters) use. Code copied from a Keras tutorial often
reaches for more: ``layers.Dropout``, ``fit(callbacks=...)``, ``model.save``,
``RMSprop(lr=...)``. Each such name gets a clear error saying that it is not
part of chapter2 and what to do instead, rather than a bare ``AttributeError``
or ``TypeError``. The tables live here, in one place; the modules consult them:

* :func:`missing_attribute` backs the module ``__getattr__`` of ``layers``,
  ``optimizers``, ``losses``, ``models``, ``utils`` and ``datasets``, and
  ``Sequential.__getattr__``;
* :func:`check_keyword_arguments` vets the extra keyword arguments of
  ``Dense``, ``compile``, ``fit``, ``evaluate``, ``predict`` and the optimizers.

Examples
--------
>>> from chapter2 import layers
>>> hasattr(layers, "Dropout")
False
>>> layers.Dropout
Traceback (most recent call last):
...
chapter2.errors.NotInChapter2Error: layers.Dropout is a Keras name that is not part of chapter2: train without it (the chapter's network does not use dropout). chapter2.layers has Dense, Flatten and Input.
"""

from __future__ import annotations

import difflib
from typing import Any, Iterable, Mapping

from .errors import InputTypeError, NotInChapter2Error, UnsupportedArgumentError

_DENSE_ONLY = "build the network from Dense layers"
_SCALE = "prepare the data with NumPy before fit (e.g. x.astype('float32') / 255)"

#: Keras attributes chapter2 does not have, by module (or "Sequential") -> hint.
ATTRIBUTES: dict[str, dict[str, str]] = {
    "chapter2": {
        "Input": "use chapter2.layers.Input (keras.Input is keras.layers.Input)",
        "Sequential": "use chapter2.models.Sequential",
        "Model": "the functional API is not part of chapter2; stack layers with chapter2.models.Sequential",
    },
    "layers": {
        **{name: f"{_DENSE_ONLY}; convolutional networks come in chapter 8 of the book"
           for name in ("Conv1D", "Conv2D", "Conv3D", "SeparableConv1D", "SeparableConv2D",
                        "DepthwiseConv2D", "Conv2DTranspose", "MaxPooling1D", "MaxPooling2D",
                        "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
                        "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D",
                        "GlobalMaxPooling2D", "ZeroPadding2D", "Cropping2D", "UpSampling2D")},
        **{name: f"{_DENSE_ONLY}; recurrent networks come later in the book"
           for name in ("SimpleRNN", "LSTM", "GRU", "Bidirectional", "TimeDistributed",
                        "RNN", "ConvLSTM2D")},
        **{name: f"{_DENSE_ONLY}; attention and embeddings come later in the book"
           for name in ("Embedding", "Attention", "MultiHeadAttention", "TextVectorization",
                        "StringLookup", "IntegerLookup", "CategoryEncoding", "Hashing")},
        **{name: "train without it (the chapter's network does not use dropout)"
           for name in ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise",
                        "GaussianDropout", "AlphaDropout")},
        **{name: "train without it; scale the inputs instead (e.g. pixels / 255)"
           for name in ("BatchNormalization", "LayerNormalization", "GroupNormalization",
                        "UnitNormalization")},
        **{name: "pass the activation to Dense, e.g. Dense(512, activation='relu')"
           for name in ("Activation", "ReLU", "Softmax", "LeakyReLU", "PReLU", "ELU")},
        **{name: _SCALE for name in ("Rescaling", "Normalization", "Resizing", "CenterCrop")},
        **{name: "reshape the data with NumPy (x.reshape(...)) or put layers.Flatten() first"
           for name in ("Reshape", "Permute", "RepeatVector")},
        **{name: "chapter2 models are a single stack: use models.Sequential"
           for name in ("Concatenate", "Add", "Multiply", "Subtract", "Average", "Maximum",
                        "Minimum", "Dot", "Lambda")},
    },
    "activations": {
        name: "use 'relu', 'sigmoid', 'softmax' or 'linear'"
        for name in ("tanh", "elu", "selu", "softplus", "softsign", "swish", "silu", "gelu", "exponential",
                     "hard_sigmoid", "hard_silu", "leaky_relu", "relu6", "mish", "log_softmax")
    },
    "optimizers": {
        **{name: "use optimizers.RMSprop, optimizers.SGD or optimizers.Adam"
           for name in ("Adagrad", "Adadelta", "Adamax", "Nadam", "AdamW", "Ftrl", "Lion",
                        "Lamb", "Adafactor", "LossScaleOptimizer")},
        "schedules": "chapter2 keeps the learning rate fixed; set optimizer.learning_rate between fit calls",
        "legacy": "use optimizers.RMSprop, optimizers.SGD or optimizers.Adam",
    },
    "losses": {
        **{name: "use categorical_crossentropy, sparse_categorical_crossentropy or mse; for two "
                 "classes use Dense(2, activation='softmax') with sparse_categorical_crossentropy"
           for name in ("BinaryCrossentropy", "binary_crossentropy", "BinaryFocalCrossentropy",
                        "Hinge", "hinge", "SquaredHinge", "CategoricalHinge")},
        **{name: "use mse (MeanSquaredError)"
           for name in ("MeanAbsoluteError", "mean_absolute_error", "mae", "Huber", "huber",
                        "LogCosh", "MeanSquaredLogarithmicError", "MeanAbsolutePercentageError")},
        **{name: "use categorical_crossentropy, sparse_categorical_crossentropy or mse"
           for name in ("KLDivergence", "kl_divergence", "Poisson", "CosineSimilarity",
                        "CategoricalFocalCrossentropy")},
    },
    "models": {
        "Model": "chapter2 has no functional API: stack the layers in models.Sequential([...])",
        "load_model": "build the same Sequential model, then call model.load_weights('name.weights.npz')",
        "save_model": "call model.save_weights('name.weights.npz')",
        "clone_model": "build a second Sequential model and copy the weights with "
                       "other.set_weights(model.get_weights())",
        "model_from_json": "build the Sequential model in Python",
    },
    "utils": {
        "plot_model": "call model.summary() for a table of the layers",
        "normalize": _SCALE,
        "get_file": "chapter2.datasets.mnist.load_data() fetches and checks its own file",
        "image_dataset_from_directory": "load the images into NumPy arrays yourself",
        "text_dataset_from_directory": "load the texts into NumPy arrays yourself",
        "pad_sequences": "pad with NumPy (np.zeros then a loop), as chapter 4 of the book does",
        "Sequence": "pass NumPy arrays to fit",
        "PyDataset": "pass NumPy arrays to fit",
    },
    "datasets": {
        **{name: "chapter2 ships only the MNIST digits (chapter2.datasets.mnist); the next "
                 "chapters' data sets are loaded with Keras"
           for name in ("cifar10", "cifar100", "fashion_mnist", "imdb", "reuters",
                        "boston_housing", "california_housing")},
    },
    "Sequential": {
        "save": "call model.save_weights('name.weights.npz'), and later load_weights on the same architecture",
        "to_json": "keep the code that builds the model; save the weights with model.save_weights",
        "get_config": "keep the code that builds the model",
        "from_config": "keep the code that builds the model",
        "fit_generator": "call fit with NumPy arrays",
        "evaluate_generator": "call evaluate with NumPy arrays",
        "predict_generator": "call predict with NumPy arrays",
        "train_on_batch": "call fit(x_batch, y_batch, epochs=1, batch_size=len(x_batch))",
        "test_on_batch": "call evaluate on the batch",
        "predict_on_batch": "call predict on the batch",
        "get_layer": "index model.layers, e.g. model.layers[0]",
        "pop": "build a new Sequential model with the layers you want",
        "export": "save the weights with model.save_weights",
        "call": "call model.predict(x)",
    },
}

_HAS = {
    "activations": "chapter2.activations has relu, sigmoid, softmax and linear.",
    "layers": "chapter2.layers has Dense, Flatten and Input.",
    "optimizers": "chapter2.optimizers has SGD, RMSprop and Adam.",
    "losses": "chapter2.losses has CategoricalCrossentropy, SparseCategoricalCrossentropy and MeanSquaredError.",
    "models": "chapter2.models has Sequential.",
    "utils": "chapter2.utils has to_categorical and set_random_seed.",
    "datasets": "chapter2.datasets has mnist.",
    "Sequential": "",
}

#: Keras keyword arguments chapter2 does not take, by function -> name -> (harmless values, hint).
#: A value in the first entry is what chapter2 does anyway, so it is accepted silently.
KEYWORDS: dict[str, dict[str, tuple[tuple[Any, ...], str]]] = {
    "Dense": {
        "use_bias": ((True,), "Dense always has a bias"),
        "kernel_initializer": (("glorot_uniform", None), "Dense kernels are always Glorot-uniform"),
        "bias_initializer": (("zeros", None), "Dense biases always start at zero"),
        **{name: ((None,), "chapter2 has no regularizers or constraints; train without them")
           for name in ("kernel_regularizer", "bias_regularizer", "activity_regularizer",
                        "kernel_constraint", "bias_constraint")},
        "lora_rank": ((None,), "train the full kernel"),
        "batch_input_shape": ((), "give input_shape=(features,) (no batch size)"),
        "batch_size": ((None,), "give the batch size to fit, e.g. fit(x, y, batch_size=128)"),
    },
    "compile": {
        "loss_weights": ((None,), "chapter2 models have one output and one loss"),
        "weighted_metrics": ((None,), "chapter2 has no sample weights"),
        "run_eagerly": ((None, True, False), "chapter2 always runs eagerly"),
        "jit_compile": ((None, False, "auto"), "chapter2 is plain NumPy and never compiles"),
        "steps_per_execution": ((1,), "chapter2 runs one step at a time"),
        "auto_scale_loss": ((None, True, False), "chapter2 trains in float32 without loss scaling"),
    },
    "fit": {
        "callbacks": ((None,), "chapter2 has no callbacks; fit returns a History, and to stop early "
                               "or save along the way call fit for a few epochs at a time in a loop"),
        "class_weight": ((None,), "balance the classes in the data instead (repeat or drop samples)"),
        "sample_weight": ((None,), "repeat or drop samples instead"),
        "initial_epoch": ((0,), "call fit again: it continues from the current weights"),
        "steps_per_epoch": ((None,), "fit always passes over all of x; pass a slice of x to train on less"),
        "validation_steps": ((None,), "pass a slice of the validation data"),
        "validation_batch_size": ((None,), "validation uses the training batch_size"),
        "validation_freq": ((1,), "validation runs after every epoch"),
    },
    "evaluate": {
        "sample_weight": ((None,), "repeat or drop samples instead"),
        "steps": ((None,), "evaluate always uses all of x; pass a slice of x"),
        "callbacks": ((None,), "chapter2 has no callbacks"),
    },
    "predict": {
        "steps": ((None,), "predict always uses all of x; pass a slice of x"),
        "callbacks": ((None,), "chapter2 has no callbacks"),
    },
    "optimizer": {
        "lr": ((), "the argument is called learning_rate, e.g. RMSprop(learning_rate=1e-3)"),
        "decay": ((None, 0, 0.0), "chapter2 keeps the learning rate fixed"),
        **{name: ((None,), "chapter2 does not clip gradients")
           for name in ("clipnorm", "clipvalue", "global_clipnorm")},
        "weight_decay": ((None, 0, 0.0), "chapter2 optimizers have no weight decay"),
        **{name: ((None, False), "chapter2 keeps no moving average of the weights")
           for name in ("use_ema", "ema_momentum", "ema_overwrite_frequency")},
        "loss_scale_factor": ((None,), "chapter2 trains without loss scaling"),
        "gradient_accumulation_steps": ((None,), "use a larger batch_size instead"),
        "name": ((), "chapter2 optimizers are known by their class"),
    },
}


def missing_attribute(owner: str, name: str) -> NotInChapter2Error | AttributeError:
    """The error for ``owner.name`` that does not exist: a pointer for Keras names, plain otherwise.

    Parameters
    ----------
    owner : str
        ``"layers"``, ``"optimizers"``, ... or ``"Sequential"``.
    name : str
        The attribute asked for.

    Returns
    -------
    NotInChapter2Error or AttributeError
        The caller raises it (both are ``AttributeError``, so ``hasattr`` works).

    Examples
    --------
    >>> str(missing_attribute("Sequential", "save"))[:60]
    'model.save is a Keras name that is not part of chapter2: cal'
    >>> type(missing_attribute("layers", "__wrapped__")).__name__
    'AttributeError'
    """
    hints = ATTRIBUTES.get(owner, {})
    if name in hints:
        shown = "model" if owner == "Sequential" else owner
        text = f"{shown}.{name} is a Keras name that is not part of chapter2: {hints[name]}."
        if _HAS.get(owner):
            text += f" {_HAS[owner]}"
        return NotInChapter2Error(text)
    if owner == "Sequential":
        return AttributeError(f"'Sequential' object has no attribute {name!r}")
    module = "chapter2" if owner == "chapter2" else f"chapter2.{owner}"
    return AttributeError(f"module {module!r} has no attribute {name!r}")


def check_keyword_arguments(function: str, given: Mapping[str, Any], accepted: Iterable[str],
                            table: str | None = None) -> None:
    """Refuse extra keyword arguments with a message that helps.

    Parameters
    ----------
    function : str
        How the call reads in messages, e.g. ``"fit"`` or ``"RMSprop"``.
    given : mapping
        The extra keyword arguments the caller passed (a ``**kwargs`` dict).
    accepted : iterable of str
        The function's real arguments, for "did you mean" suggestions.
    table : str, optional
        Key of :data:`KEYWORDS` to consult; defaults to ``function``.

    Raises
    ------
    UnsupportedArgumentError
        For a Keras argument chapter2 does not take (unless its value is
        what chapter2 does anyway).
    InputTypeError
        For any other unexpected name.

    Examples
    --------
    >>> check_keyword_arguments("fit", {"callbacks": None}, ["epochs"])
    >>> check_keyword_arguments("fit", {"epoch": 5}, ["epochs", "batch_size"])
    Traceback (most recent call last):
    ...
    chapter2.errors.InputTypeError: fit() got an unexpected keyword argument 'epoch' (did you mean 'epochs'?)
    """
    keywords = KEYWORDS.get(table or function, {})
    for name, value in given.items():
        if name in keywords:
            harmless, hint = keywords[name]
            if any(value is h or (type(value) is type(h) and value == h) for h in harmless):
                continue
            raise UnsupportedArgumentError(
                f"{function}({name}=...) is a Keras argument that is not part of chapter2: {hint}.")
        close = difflib.get_close_matches(name, list(accepted), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputTypeError(f"{function}() got an unexpected keyword argument {name!r}{hint}")


__all__ = ["ATTRIBUTES", "KEYWORDS", "missing_attribute", "check_keyword_arguments"]
