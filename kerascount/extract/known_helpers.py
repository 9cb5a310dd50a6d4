"""Helper functions of Keras's ecosystem that model code imports, written out as Python the interpreter runs.

Model zoos written for Keras 2 pick their input shape with ``_obtain_input_shape`` from
``keras_applications.imagenet_utils`` (re-exported as ``keras.applications.imagenet_utils``): a plain
function of its arguments, which the analysis runs like a function of the project, so symbols, undecided
conditions and errors behave as they would there. Each source below is written from the function's
documented behaviour; a call that could not run as written (an unexpected keyword) raises, and its result
is then unknown. Keras 2.0's version took ``include_top=`` in place of ``require_flatten=`` and ``weights=``,
with stricter rules: a call by that keyword follows them; Keras 1.2's took ``dim_ordering`` (``'th'``/``'tf'``)
in place of ``data_format``, with Keras 2.0's rules.
"""

from __future__ import annotations

from typing import Dict, Optional

#: keras_applications (1.0.x) ``imagenet_utils._obtain_input_shape``: the input shape an application builds
#: for, from the shape the caller gives (validated) or the default for the data format.
_OBTAIN_INPUT_SHAPE = '''
def _obtain_input_shape(input_shape, default_size, min_size, data_format="<unset>", require_flatten="<unset>",
                        weights=None, include_top="<unset>", dim_ordering="<unset>", **unexpected):
    if unexpected:
        raise TypeError("unexpected keyword arguments")
    if dim_ordering != "<unset>":
        # Keras 1.2's (dim_ordering, include_top): 'th' is channels first
        if data_format != "<unset>":
            raise TypeError("data_format and dim_ordering")
        data_format = "channels_first" if dim_ordering == "th" else "channels_last"
    elif data_format == "<unset>":
        raise TypeError("data_format is missing")
    elif data_format == "th" or data_format == "tf":
        # Keras 1.2's positional dim_ordering (`K.image_dim_ordering()`)
        data_format = "channels_first" if data_format == "th" else "channels_last"
    first = data_format == "channels_first"
    if include_top != "<unset>":
        return _keras20_input_shape(input_shape, default_size, min_size, first, include_top, require_flatten,
                                    weights)
    if require_flatten == "<unset>":
        raise TypeError("require_flatten is missing")
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if first else input_shape[-1]
    else:
        channels = 3
    if first:
        default_shape = (channels, default_size, default_size)
    else:
        default_shape = (default_size, default_size, channels)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and input_shape != default_shape:
            raise ValueError("imagenet weights with a classifier need the default input shape")
        return default_shape
    if input_shape:
        if input_shape is not None:
            if len(input_shape) != 3:
                raise ValueError("input_shape must have three entries")
            if weights == "imagenet" and (input_shape[0] if first else input_shape[-1]) != 3:
                raise ValueError("imagenet weights need 3 channels")
            height = input_shape[1] if first else input_shape[0]
            width = input_shape[2] if first else input_shape[1]
            if (height is not None and height < min_size) or (width is not None and width < min_size):
                raise ValueError("input smaller than the minimum size")
    elif require_flatten:
        input_shape = default_shape
    elif first:
        input_shape = (3, None, None)
    else:
        input_shape = (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError("a classifier needs a static input shape")
    return input_shape


def _keras20_input_shape(input_shape, default_size, min_size, first, include_top, require_flatten, weights):
    # Keras 2.0 took `include_top` (no weights): with a classifier only the default shape is accepted.
    if require_flatten != "<unset>" or weights is not None:
        raise TypeError("include_top with require_flatten or weights")
    if first:
        default_shape = (3, default_size, default_size)
    else:
        default_shape = (default_size, default_size, 3)
    if include_top:
        if input_shape is not None and input_shape != default_shape:
            raise ValueError("a classifier needs the default input shape")
        return default_shape
    if input_shape is None:
        if first:
            return (3, None, None)
        return (None, None, 3)
    if len(input_shape) != 3:
        raise ValueError("input_shape must have three entries")
    if (input_shape[0] if first else input_shape[-1]) != 3:
        raise ValueError("3 channels needed")
    height = input_shape[1] if first else input_shape[0]
    width = input_shape[2] if first else input_shape[1]
    if (height is not None and height < min_size) or (width is not None and width < min_size):
        raise ValueError("input smaller than the minimum size")
    return input_shape


obtain_input_shape = _obtain_input_shape
'''

#: Keras 2 ``keras.utils.conv_utils.conv_output_length``: the length a convolution (or pooling) window gives
#: along one axis (custom layers' ``compute_output_shape`` call it).
_CONV_OUTPUT_LENGTH = '''
def conv_output_length(input_length, filter_size, padding, stride, dilation=1):
    if input_length is None:
        return None
    if padding not in ("same", "valid", "full", "causal"):
        raise ValueError("unknown padding")
    dilated_filter_size = filter_size + (filter_size - 1) * (dilation - 1)
    if padding == "same" or padding == "causal":
        output_length = input_length
    elif padding == "valid":
        output_length = input_length - dilated_filter_size + 1
    else:
        output_length = input_length + dilated_filter_size - 1
    return (output_length + stride - 1) // stride
'''

#: Keras 3 ``keras.src.utils.argument_validation.standardize_tuple`` (Keras 2: ``conv_utils.normalize_tuple``,
#: without ``allow_zero``): an int, or an iterable of ``n`` whole numbers, as a tuple of ``n`` positive ones
#: (zero allowed when asked); anything else raises ValueError.
_STANDARDIZE_TUPLE = '''
def standardize_tuple(value, n, name, allow_zero=False):
    if isinstance(value, int):
        value_tuple = (value,) * n
    else:
        value_tuple = tuple(value)
        if len(value_tuple) != n:
            raise ValueError("wrong length")
        for single_value in value_tuple:
            int(single_value)
    for v in value_tuple:
        if v < 0 or v == 0 and not allow_zero:
            raise ValueError("not positive")
    return value_tuple
'''

#: TensorFlow 2's ``tensorflow.python.keras.layers.VersionAwareLayers`` (its own copies of the applications, which
#: model zoos vendor, write ``layers = VersionAwareLayers()``): an object whose attributes are the layers of the Keras
#: that TensorFlow runs, as ``tensorflow.keras.layers`` gives them (names.py reads that module as ``keras.layers``).
_VERSION_AWARE_LAYERS = '''
import keras


def VersionAwareLayers():
    return keras.layers
'''

#: keras_applications' ``get_submodules_from_kwargs(kwargs)``: the Keras modules an application builds with, as
#: ``(backend, layers, models, utils)``. Keras's own ``keras.applications`` passes its modules in ``kwargs`` (or
#: sets them once for the package with ``set_keras_submodules`` when it is imported), so a module the caller does not
#: pass is the Keras that runs the code; a key of another name raises TypeError, as there. Model zoos written on
#: this pattern (qubvel's classification_models, efficientnet and segmentation_models) call it the same way.
_GET_SUBMODULES = '''
import keras


def get_submodules_from_kwargs(kwargs):
    backend = kwargs.get("backend", keras.backend)
    layers = kwargs.get("layers", keras.layers)
    models = kwargs.get("models", keras.models)
    utils = kwargs.get("utils", keras.utils)
    for key in kwargs.keys():
        if key not in ["backend", "layers", "models", "utils"]:
            raise TypeError("Invalid keyword argument")
    return backend, layers, models, utils
'''

#: The package globals keras_applications reads when a caller passes no module (``_KERAS_LAYERS``...): what Keras's
#: ``set_keras_submodules`` call sets them to when ``keras.applications`` is imported.
INJECTED_MODULES: Dict[str, str] = {f"keras_applications._KERAS_{key.upper()}": f"keras.{key}"
                                    for key in ("backend", "layers", "models", "utils")}

#: Keras 3's (and TensorFlow 2's ``tensorflow.python.keras``) ``imagenet_utils.correct_pad(inputs, kernel_size)``:
#: the ZeroPadding2D widths before a stride-2 convolution, one less on the leading side of an even size (and of a size
#: not known). keras_applications' own takes the backend first, and is not this one.
_CORRECT_PAD = '''
import keras


def correct_pad(inputs, kernel_size):
    if keras.backend.image_data_format() == "channels_first":
        sizes = inputs.shape[2:4]
    else:
        sizes = inputs.shape[1:3]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    if sizes[0] is None:
        adjust = (1, 1)
    else:
        adjust = (1 - sizes[0] % 2, 1 - sizes[1] % 2)
    half = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((half[0] - adjust[0], half[0]), (half[1] - adjust[1], half[1]))
'''

#: KerasTuner's ``HyperModel``, the base class of a search space written as a class (``build(self, hp)``), as its
#: ``__init__``, ``build`` (a subclass defines its own), ``declare_hyperparameters`` and ``fit`` are written; left out: the
#: wrapper its ``__init__`` puts around ``build`` (it calls the subclass's ``build``, on a copy of ``hp`` when the
#: hypermodel is not ``tunable``) and, in older releases, a generated ``name`` (no size). A subclass's ``build`` that
#: nothing in the file calls is run at the end as a tuner calls it (extract/plain.py, ``Interpreter.run_uncalled``).
_HYPERMODEL = '''
class HyperModel:
    def __init__(self, name=None, tunable=True):
        self.name = name
        self.tunable = tunable

    def build(self, hp):
        raise NotImplementedError

    def declare_hyperparameters(self, hp):
        pass

    def fit(self, hp, model, *args, **kwargs):
        return model.fit(*args, **kwargs)
'''

#: The building blocks of TensorFlow's pix2pix and CycleGAN tutorials (``tensorflow_examples.models.pix2pix.pix2pix``,
#: which the segmentation tutorial's U-Net also takes its decoder from): ``downsample`` (a stride-2 Conv2D without bias,
#: a normalization unless ``apply_norm=False``, LeakyReLU), ``upsample`` (a stride-2 Conv2DTranspose without bias, a
#: normalization, Dropout(0.5) with ``apply_dropout=True``, ReLU), each a Sequential; ``unet_generator`` (eight
#: downsamplings, seven upsamplings joined to the skips, a last tanh Conv2DTranspose, on images of any size) and the
#: PatchGAN ``discriminator``. ``norm_type="instancenorm"`` takes the module's InstanceNormalization, a scale and an
#: offset per channel whose ``call`` runs TensorFlow's ``nn.moments`` (not followed here); its initializers are
#: TensorFlow's random normal ones, which change no size.
_PIX2PIX = '''
import tensorflow as tf


class InstanceNormalization(tf.keras.layers.Layer):
    def __init__(self, epsilon=1e-5):
        super().__init__()
        self.epsilon = epsilon

    def build(self, input_shape):
        self.scale = self.add_weight(name="scale", shape=input_shape[-1:], trainable=True)
        self.offset = self.add_weight(name="offset", shape=input_shape[-1:], initializer="zeros", trainable=True)

    def call(self, x):
        mean, variance = tf.nn.moments(x, axes=[1, 2], keepdims=True)
        return self.scale * ((x - mean) * tf.math.rsqrt(variance + self.epsilon)) + self.offset


def _normalization(norm_type):
    if norm_type.lower() == "batchnorm":
        return tf.keras.layers.BatchNormalization()
    if norm_type.lower() == "instancenorm":
        return InstanceNormalization()
    return None


def downsample(filters, size, norm_type="batchnorm", apply_norm=True):
    block = tf.keras.Sequential()
    block.add(tf.keras.layers.Conv2D(filters, size, strides=2, padding="same",
                                     kernel_initializer=tf.random_normal_initializer(0.0, 0.02), use_bias=False))
    if apply_norm:
        norm = _normalization(norm_type)
        if norm is not None:
            block.add(norm)
    block.add(tf.keras.layers.LeakyReLU())
    return block


def upsample(filters, size, norm_type="batchnorm", apply_dropout=False):
    block = tf.keras.Sequential()
    block.add(tf.keras.layers.Conv2DTranspose(filters, size, strides=2, padding="same",
                                              kernel_initializer=tf.random_normal_initializer(0.0, 0.02),
                                              use_bias=False))
    norm = _normalization(norm_type)
    if norm is not None:
        block.add(norm)
    if apply_dropout:
        block.add(tf.keras.layers.Dropout(0.5))
    block.add(tf.keras.layers.ReLU())
    return block


def unet_generator(output_channels, norm_type="batchnorm"):
    down_stack = [downsample(64, 4, norm_type, apply_norm=False)]
    down_stack += [downsample(width, 4, norm_type) for width in (128, 256, 512, 512, 512, 512, 512)]
    up_stack = [upsample(512, 4, norm_type, apply_dropout=True) for _ in range(3)]
    up_stack += [upsample(width, 4, norm_type) for width in (512, 256, 128, 64)]
    last = tf.keras.layers.Conv2DTranspose(output_channels, 4, strides=2, padding="same",
                                           kernel_initializer=tf.random_normal_initializer(0.0, 0.02),
                                           activation="tanh")
    concat = tf.keras.layers.Concatenate()
    inputs = tf.keras.layers.Input(shape=[None, None, 3])
    x = inputs
    skips = []
    for down in down_stack:
        x = down(x)
        skips.append(x)
    for up, skip in zip(up_stack, reversed(skips[:-1])):
        x = concat([up(x), skip])
    return tf.keras.Model(inputs=inputs, outputs=last(x))


def discriminator(norm_type="batchnorm", target=True):
    inp = tf.keras.layers.Input(shape=[None, None, 3], name="input_image")
    x = inp
    if target:
        tar = tf.keras.layers.Input(shape=[None, None, 3], name="target_image")
        x = tf.keras.layers.concatenate([inp, tar])
    x = downsample(64, 4, norm_type, False)(x)
    x = downsample(128, 4, norm_type)(x)
    x = downsample(256, 4, norm_type)(x)
    x = tf.keras.layers.ZeroPadding2D()(x)
    x = tf.keras.layers.Conv2D(512, 4, strides=1, kernel_initializer=tf.random_normal_initializer(0.0, 0.02),
                               use_bias=False)(x)
    x = _normalization(norm_type)(x)
    x = tf.keras.layers.LeakyReLU()(x)
    x = tf.keras.layers.ZeroPadding2D()(x)
    last = tf.keras.layers.Conv2D(1, 4, strides=1, kernel_initializer=tf.random_normal_initializer(0.0, 0.02))(x)
    if target:
        return tf.keras.Model(inputs=[inp, tar], outputs=last)
    return tf.keras.Model(inputs=inp, outputs=last)
'''

#: The paths KerasTuner's HyperModel is imported from (``kerastuner`` is the package's name before 1.1).
HYPERMODEL_PATHS = frozenset(f"{package}.{module}HyperModel" for package in ("keras_tuner", "kerastuner")
                             for module in ("", "engine.hypermodel."))

#: Where each helper is imported from (canonical Keras paths and the keras_applications package).
SOURCES: Dict[str, str] = {
    "keras.applications.imagenet_utils._obtain_input_shape": _OBTAIN_INPUT_SHAPE,
    "keras_applications.imagenet_utils._obtain_input_shape": _OBTAIN_INPUT_SHAPE,
    # Keras 3 keeps it, without the underscore, in keras.src.applications.imagenet_utils.
    "keras.applications.imagenet_utils.obtain_input_shape": _OBTAIN_INPUT_SHAPE,
    "keras.utils.conv_utils.conv_output_length": _CONV_OUTPUT_LENGTH,
    "keras.utils.argument_validation.standardize_tuple": _STANDARDIZE_TUPLE,
    "keras.layers.VersionAwareLayers": _VERSION_AWARE_LAYERS,
    "keras.applications.imagenet_utils.correct_pad": _CORRECT_PAD,
    "keras_applications.get_submodules_from_kwargs": _GET_SUBMODULES,
    **dict.fromkeys(HYPERMODEL_PATHS, _HYPERMODEL),
    **{f"tensorflow_examples.models.pix2pix.pix2pix.{name}": _PIX2PIX
       for name in ("downsample", "upsample", "unet_generator", "discriminator", "InstanceNormalization")},
}


#: The modules on the way to each helper (``kerastuner``, ``kerastuner.engine``...): read as a library's modules, so
#: that ``kerastuner.engine.hypermodel.HyperModel`` written out after ``import kerastuner`` reaches the helper.
MODULE_PATHS = frozenset(path.rsplit(".", i)[0] for path in SOURCES for i in range(1, path.count(".") + 1))


def source_for(path: str) -> Optional[str]:
    """The Python source defining the helper imported as ``path`` (its last component), if it is one."""
    return SOURCES.get(path.replace("keras.src.", "keras.", 1))


#: Helpers taken in place of the analysed package's own function of that name, which reads package globals that
#: Keras sets from outside (keras_applications' ``_KERAS_LAYERS = None`` until ``set_keras_submodules``).
PACKAGE_GLOBALS = frozenset({"keras_applications.get_submodules_from_kwargs"})


def relative_path(module: str, package_dir: str, name: str) -> Optional[str]:
    """``from .imagenet_utils import _obtain_input_shape`` inside the keras_applications package itself
    (its own module not being part of the analysed files), and ``from . import get_submodules_from_kwargs`` there
    or in a package that copies its ``__init__`` (qubvel's efficientnet: the package's own function reads globals
    that Keras or the package's injecting decorators set from outside: ``PACKAGE_GLOBALS``): the helper's full
    path."""
    if package_dir == "keras_applications" and module == ".imagenet_utils":
        return f"keras_applications.imagenet_utils.{name}"
    if name == "get_submodules_from_kwargs" and not module.strip("."):
        return f"keras_applications.{name}"  # (and the copies of its package __init__ in model zoos: efficientnet's)
    return None
