"""Data from objects rather than arrays: pandas frames, scikit-learn transformers, image generators and
datasets, tf.data pipelines, TensorFlow 1's tutorial MNIST; and the rules KC701/KC702 on them.

pandas, scikit-learn and TensorFlow are not installed with the test tools, and Keras 3 has no
ImageDataGenerator: the shapes here are those their documentation gives (flow_from_directory:
target_size=(256, 256), color_mode="rgb", class_mode="categorical", batch_size=32;
image_dataset_from_directory: image_size=(256, 256), label_mode="int"; read_data_sets: 55,000 / 5,000 /
10,000 images of 784 pixels). Crash/fix pairs that real Keras runs are in fixtures/datafaults/.
"""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source
from kerascount.config import Config
from kerascount.symbolic import symbol, symbol_names
from test_interpreter2 import _at, spelled_total

HEAD = "import numpy as np\nimport pandas as pd\nimport keras\nfrom keras import layers\n"


def _report(body: str, codes=("KC701", "KC702", "KC703", "KC704")):
    report = analyze_source(HEAD + body, "t.py", Config(select=list(codes)))
    assert report.internal_error is None
    return report



def _units(body: str):
    """The units of the Dense layers of the file's one model, as text (symbols as kerascount writes them)."""
    (model,) = _report(body).models
    return [str(row.output_shape[-1]) for row in model.rows if row.layer.type == "Dense"]


def _codes(body: str):
    return [d.code for d in _report(body).diagnostics]


def _calls(body: str):
    """(x, y) shapes of each data call of the file's last model."""
    model = _report(body).models[-1]
    return [(c.x, c.y) for c in model.model.data_calls]


CSV = 'df = pd.read_csv("data.csv")\n'
COLS = 'len(pd.read_csv("data.csv").columns)'


@pytest.mark.parametrize("expr,width", [
    ("df.drop('label', axis=1)", f"{COLS} - 1"),
    ("df.drop(columns=['a', 'b'])", f"{COLS} - 2"),
    ("df[['a', 'b', 'c']]", "3"),
    ("df.iloc[:, :-1]", f"{COLS} - 1"),
    ("df.iloc[:, 1:]", f"{COLS} - 1"),
    ("df.iloc[:, [0, 2]]", "2"),
    ("df.loc[:, ['x', 'y']]", "2"),
    ("df[df.columns[:-2]]", f"{COLS} - 2"),
    ("df.dropna().fillna(0)", COLS),
    ("pd.DataFrame(np.zeros((10, 4)))", "4"),
    ("pd.concat([df, df[['a']]], axis=1)", f"{COLS} + 1"),
])
def test_frame_widths(expr, width):
    body = CSV + f"X = {expr}.values\nm = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1])])\n"
    assert _units(body) == [width]


def test_frame_rows_columns_and_length():
    body = CSV + ("m = keras.Sequential([keras.Input((3,)), layers.Dense(len(df.columns)), layers.Dense(len(df)),"
                  " layers.Dense(df.shape[1]), layers.Dense(df['a'].values.shape[0])])\n")
    rows = 'len(pd.read_csv("data.csv"))'
    assert _units(body) == [COLS, rows, COLS, rows]


@pytest.mark.parametrize("expr", ["df.iloc[:, 2:8]", "pd.get_dummies(df)", "df.select_dtypes('number')"])
def test_widths_that_depend_on_the_file_are_symbols_of_their_own(expr):
    (width,) = _units(CSV + f"X = {expr}\nm = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1])])\n")
    assert width.endswith(".shape[1]") and "columns" not in width  # not 6, not a width derived from the file's


def test_usecols_fixes_the_width():
    body = 'df = pd.read_csv("d.csv", usecols=["a", "b", "c"])\nm = keras.Sequential([keras.Input((3,)), layers.Dense(df.shape[1])])\n'
    assert _units(body) == ["3"]


@pytest.mark.parametrize("usecols,width", [('"A:E"', "5"), ('"A,C,E:F"', "4"), ('"b:c, AA"', "3")])
def test_read_excel_usecols_letters_are_column_ranges(usecols, width):
    # pandas: a string usecols of read_excel is Excel letters and inclusive ranges, not one column's name
    body = (f'data = pd.read_excel("d.xlsx", usecols={usecols}).values\nX = data[:, 0:2]\n'
            "m = keras.Sequential([keras.Input((2,)), layers.Dense(data.shape[1]), layers.Dense(1)])\n"
            "m.compile('adam', 'mse')\nm.fit(X, data[:, -1])\n")
    assert _units(body) == [width, "1"]
    assert _codes(body) == []  # X keeps its two columns (before: a one-column frame, and a false KC701)


def test_frame_width_checked_against_the_model():
    bug = CSV + ("X = df.drop('label', axis=1).values\ny = df['label'].values\n"
                 "m = keras.Sequential([keras.Input((len(df.columns),)), layers.Dense(1, activation='sigmoid')])\n"
                 "m.compile('adam', 'binary_crossentropy')\nm.fit(X, y)\n")
    assert _codes(bug) == ["KC701"]
    assert _codes(bug.replace("keras.Input((len(df.columns),))", "keras.Input((X.shape[1],))")) == []
    # a width not related to the file's (a literal) may be right: not reported
    assert _codes(bug.replace("keras.Input((len(df.columns),))", "keras.Input((8,))")) == []


def test_frames_given_whole_to_fit_and_sequences_expanded_by_keras_are_not_reported():
    body = CSV + ("X = df.iloc[:, :-1]\ny = df.iloc[:, -1]\n"
                  "m = keras.Sequential([keras.Input((X.shape[1], 1)), layers.Conv1D(4, 2), layers.Flatten(),"
                  " layers.Dense(1)])\nm.compile('adam', 'mse')\nm.fit(X, y, epochs=2)\n")
    assert _codes(body) == []  # Keras gives 2-D data the last axis of 1 the input declares


def test_frame_labels_with_categorical_loss():
    body = CSV + ("X = df.iloc[:, :-1].values\ny = df.iloc[:, -1].values\n"
                  "m = keras.Sequential([keras.Input((X.shape[1],)), layers.Dense(3, activation='softmax')])\n"
                  "m.compile('adam', 'categorical_crossentropy')\nm.fit(X, y)\n")
    assert _codes(body) == ["KC702"]
    assert _codes(body.replace("y = df.iloc[:, -1].values", "y = pd.get_dummies(df.iloc[:, -1]).values")) == []


def test_sklearn_transformers():
    body = ("from sklearn.preprocessing import StandardScaler, LabelEncoder, OneHotEncoder\n"
            "from sklearn.decomposition import PCA\nX = np.zeros((50, 6))\n"
            "a = StandardScaler().fit_transform(X)\nsc = StandardScaler().fit(X)\nb = sc.transform(X)\n"
            "c = LabelEncoder().fit_transform(np.zeros(50))\nd = PCA(n_components=3).fit_transform(X)\n"
            "e = OneHotEncoder().fit_transform(X[:, :1])\n"
            "m = keras.Sequential([keras.Input((3,)), layers.Dense(a.shape[1]), layers.Dense(b.shape[1]),"
            " layers.Dense(c.shape[0]), layers.Dense(d.shape[1]), layers.Dense(e.shape[1])])\n")
    units = _units(body)
    assert units[:4] == ["6", "6", "50", "3"]
    assert units[4] == "OneHotEncoder().fit_transform(X[:, :1]).shape[1]"


def test_column_transformer_width_is_a_symbol():
    # Checked against scikit-learn 1.9 and real Keras (numpy backend) on data of 2 numeric and 2 categorical
    # columns (3 and 2 categories): the transform is 7 wide, the two models have 91 and 100 parameters.
    body = ("from sklearn.compose import make_column_transformer, ColumnTransformer\n"
            "from sklearn.preprocessing import MinMaxScaler, OneHotEncoder\nX = np.zeros((80, 4))\n"
            "ct = make_column_transformer((MinMaxScaler(), [0, 1]), (OneHotEncoder(), [2, 3]))\nct.fit(X)\n"
            "Xt = ct.transform(X)\nm = keras.Sequential([layers.Dense(10), layers.Dense(1)])\n"
            "m.compile('adam', 'mse')\nm.fit(Xt, np.zeros(80))\n"
            "ct2 = ColumnTransformer([('num', MinMaxScaler(), [0, 1]), ('cat', OneHotEncoder(), [2, 3])])\n"
            "inputs = keras.Input((ct2.fit_transform(X).shape[1],))\n"
            "other = keras.Model(inputs, layers.Dense(4)(layers.Dense(8)(inputs)))\n")
    first, second = _report(body).models
    assert first.status == second.status == "symbolic"
    assert symbol_names(first.total) == ("ct.transform(X).shape[1]",)
    assert symbol_names(second.total) == ("ct2.fit_transform(X).shape[1]",)
    # at the width scikit-learn gives here (7), the models fed 7 columns
    assert _at(first.total, {"ct.transform(X).shape[1]": 7}) == spelled_total(7, "layers.Dense(10), layers.Dense(1)")
    assert _at(second.total, {"ct2.fit_transform(X).shape[1]": 7}) == \
        spelled_total(7, "layers.Dense(8), layers.Dense(4)")
    assert first.model.data_calls[0].x == (80, first.model.data_calls[0].x[1])
    # of something that is not a 2-D array: not known
    flat = _report(body.replace("ct.transform(X)", "ct.transform(X[:, 0])")).models[0]
    assert flat.status == "unknown"


def test_index_arrays_pick_rows():
    body = ("y = np.random.randint(0, 4, 30)\nY = np.eye(4)[y]\nZ = np.eye(5)[np.random.randint(0, 3, (7, 2))]\n"
            "W = np.eye(6)[np.argmax(np.zeros((9, 6)), axis=1)]\n"
            "m = keras.Sequential([keras.Input((3,)), layers.Dense(Y.shape[0]), layers.Dense(Y.shape[1]),"
            " layers.Dense(Z.shape[1] * 10 + Z.shape[2]), layers.Dense(W.shape[0])])\n")
    assert _units(body) == ["30", "4", "25", "9"]


def test_index_arrays_out_of_range_are_not_followed():
    body = ("Y = np.eye(3)[np.random.randint(0, 5, 30)]\n"
            "m = keras.Sequential([keras.Input((3,)), layers.Dense(Y.shape[1])])\n")
    (model,) = _report(body).models
    assert model.status == "unknown"  # labels up to 4 index 3 rows: NumPy may raise, no shape is given


GEN = "from keras.preprocessing.image import ImageDataGenerator\ngen = ImageDataGenerator(rescale=1 / 255)\n"


def test_flow_from_directory_shapes():
    body = GEN + ("it = gen.flow_from_directory('train', target_size=(150, 150), class_mode='binary')\n"
                  "m = keras.Sequential([keras.Input((150, 150, 3)), layers.Flatten(), layers.Dense(1)])\n"
                  "m.compile('adam', 'binary_crossentropy')\nm.fit(it)\n")
    assert _calls(body) == [((None, 150, 150, 3), (None,))]
    body = GEN + "it = gen.flow_from_directory('train', color_mode='grayscale')\nm = keras.Sequential([keras.Input((3,))])\nm.predict(it)\n"
    assert _calls(body) == [((None, 256, 256, 1), None)]


def test_flow_from_directory_against_the_model():
    bug = GEN + ("it = gen.flow_from_directory('data/train', target_size=(64, 64), batch_size=8, class_mode='binary')\n"
                 "m = keras.Sequential([keras.Input((64, 64, 1)), layers.Conv2D(8, 3), layers.Flatten(),"
                 " layers.Dense(1, activation='sigmoid')])\nm.compile('adam', 'binary_crossentropy')\n"
                 "m.fit(it, epochs=3)\n")
    assert _codes(bug) == ["KC701"]
    assert _codes(bug.replace("class_mode='binary'", "class_mode='binary', color_mode='grayscale'")) == []
    # categorical labels (one column per class folder, a number not known) against a rank-4 output
    head = bug.replace("keras.Input((64, 64, 1))", "keras.Input((64, 64, 3))").replace(", class_mode='binary'", "")
    no_flatten = head.replace("layers.Flatten(), ", "").replace("'binary_crossentropy'", "'categorical_crossentropy'")
    assert _codes(no_flatten) == ["KC702"]
    # against Dense(3): the number of folders may be 3
    assert _codes(head.replace("Dense(1, activation='sigmoid')", "Dense(3, activation='softmax')")
                  .replace("'binary_crossentropy'", "'categorical_crossentropy'")) == []


def test_flow_from_directory_num_classes():
    # DirectoryIterator.num_classes: the class folders it found (the `classes` given), whatever the class_mode; the
    # same number as the width of its categorical labels, so a head sized by it fits them
    head = ("m = keras.Sequential([keras.Input((64, 64, 3)), layers.Flatten(), "
            "layers.Dense(it.num_classes, activation='softmax')])\n"
            "m.compile('adam', 'categorical_crossentropy')\nm.fit(it)\n")
    folders = GEN + "it = gen.flow_from_directory('data/train', target_size=(64, 64))\n" + head
    assert _units(folders) == ["number of class folders in 'data/train'"]
    assert _codes(folders) == []
    given = GEN + "it = gen.flow_from_directory('d', target_size=(64, 64), classes=['cat', 'dog', 'fox'])\n" + head
    assert _units(given) == ["3"]
    binary = given.replace("classes=", "class_mode='binary', classes=")
    assert _units(binary) == ["3"]
    # other data objects' num_classes stays unknown (flow_from_dataframe's classes come from its frame)
    frame = GEN + ("it = gen.flow_from_dataframe(pd.DataFrame(), target_size=(64, 64))\n" + head)
    assert _report(frame).models[-1].status == "unknown"


def test_image_size_given_as_a_list():
    # IMAGE_SIZE = [224, 224], the application's input_shape=IMAGE_SIZE + [3] and the iterator's target_size=IMAGE_SIZE
    # (Keras takes a list as it takes a tuple: tuple(target_size)); image_dataset_from_directory's image_size too
    size = "IMAGE_SIZE = [40, 36]\n"
    folders = GEN + size + ("it = gen.flow_from_directory('data/train', target_size=IMAGE_SIZE)\n"
                            "m = keras.Sequential([keras.Input(IMAGE_SIZE + [3]), layers.Flatten(), "
                            "layers.Dense(it.num_classes, activation='softmax')])\n"
                            "m.compile('adam', 'categorical_crossentropy')\nm.fit(it)\n")
    assert _units(folders) == ["number of class folders in 'data/train'"]
    assert _calls(folders) == [((None, 40, 36, 3), (None, symbol("number of class folders in 'data/train'")))]
    assert _codes(folders) == []
    dataset = size + ("ds = keras.utils.image_dataset_from_directory('photos', image_size=IMAGE_SIZE, batch_size=None)\n"
                      "m = keras.Sequential([keras.Input((3,))])\nm.fit(ds)\n")
    assert _calls(dataset) == [((40, 36, 3), ())]


def test_image_iterator_attributes():
    # Keras's legacy iterators (keras/src/legacy/preprocessing/image.py, 3.15): those of flow_from_directory and
    # flow_from_dataframe have image_shape (target_size and the channels, where the data format puts them) and
    # batch_size; only flow_from_directory's has num_classes (DataFrameIterator counts its classes in a local name,
    # NumpyArrayIterator has none: Python raises AttributeError); what they read from the data is not known.
    head = ("m = keras.Sequential([keras.Input(it.image_shape), layers.Conv2D(it.batch_size, 3), layers.Flatten(), "
            "layers.Dense(WIDTH)])\n")
    frame = GEN + "df = pd.read_csv('labels.csv')\nit = gen.flow_from_dataframe(df, target_size=(48, 40), " \
        "color_mode='grayscale', batch_size=8)\n"
    model = _report(frame + head.replace("WIDTH", "2")).models[-1]
    assert model.status == "exact" and model.inputs == ((None, 48, 40, 1),)
    # Keras 3.15.1's count of Sequential([Input((48, 40, 1)), Conv2D(8, 3), Flatten(), Dense(2)])
    assert model.total == 28050
    missing = _report(frame + head.replace("WIDTH", "it.num_classes")).models[-1]
    assert missing.status == "unknown" and "AttributeError" in missing.reasons[0]
    arrays = GEN + "it = gen.flow(np.zeros((10, 32, 32, 3)), np.zeros(10))\n" + \
        "m = keras.Sequential([keras.Input((32, 32, 3)), layers.Flatten(), layers.Dense(it.num_classes)])\n"
    assert _report(arrays).models[-1].status == "unknown"
    counted = _report(frame + head.replace("WIDTH", "len(it.class_indices)")).models[-1]
    assert counted.status == "symbolic" and [str(n) for n in symbol_names(counted.total)] == \
        ["len(it.class_indices)"]


def test_fit_generator_of_keras_2():
    body = GEN + ("it = gen.flow_from_directory('d', target_size=(32, 32), class_mode='binary')\n"
                  "m = keras.Sequential([keras.Input((32, 32, 1)), layers.Flatten(), layers.Dense(1)])\n"
                  "m.compile('adam', 'mse')\nm.fit_generator(it, steps_per_epoch=10)\n")
    assert _codes(body) == ["KC701"]


def test_image_dataset_from_directory():
    body = ("ds = keras.utils.image_dataset_from_directory('photos', image_size=(180, 180), batch_size=16)\n"
            "m = keras.Sequential([keras.Input((3,))])\nm.fit(ds)\n")
    assert _calls(body) == [((None, 180, 180, 3), (None,))]  # the number of images is not known
    body = body.replace("batch_size=16", "batch_size=None, label_mode='binary', color_mode='grayscale'")
    assert _calls(body) == [((180, 180, 1), (1,))]


@pytest.mark.parametrize("how,size,total", [
    # TensorFlow's tf.image.resize(images, size): height and width become size, the channels stay, whatever the
    # method; map's keywords (num_parallel_calls=tf.data.AUTOTUNE, map_func=) run the function on each element alike.
    # The totals are Keras 3.15.1's count of the model on keras.Input((*size, 3)).
    ("ds = ds.map(lambda x, y: (tf.image.resize(x, [150, 150]), y), num_parallel_calls=tf.data.AUTOTUNE)", (150, 150),
     175346),
    ("ds = ds.map(map_func=shrink, num_parallel_calls=tf.data.AUTOTUNE, deterministic=False)", (96, 64), 46738),
    ("ds = ds.map(lambda x, y: (tf.image.resize(x, (64, 64), tf.image.ResizeMethod.NEAREST_NEIGHBOR), y))", (64, 64),
     30866),
    ("ds = ds.map(lambda x, y: (tf.cast(x, tf.float32) / 255.0, y), num_parallel_calls=4)", (180, 180), 253586),
    # a bound on the size, not the size: not followed (the sizes are the dataset's symbols)
    ("ds = ds.map(lambda x, y: (tf.image.resize(x, (64, 64), preserve_aspect_ratio=True), y))", None, None),
])
def test_images_resized_by_a_mapped_function(how, size, total):
    body = ("import tensorflow as tf\n"
            "def shrink(image, label, height=96, width=64):\n"
            "    return tf.image.resize(image, (height, width), method='bicubic'), label\n"
            "ds = keras.utils.image_dataset_from_directory('photos', image_size=(180, 180), batch_size=None)\n"
            f"{how}\nds = ds.batch(8)\n"
            "m = keras.Sequential([layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(2)])\nm.fit(ds)\n")
    model = _report(body).models[-1]
    if size is None:
        assert model.status == "symbolic" and model.inputs[0][1:] == (
            symbol("ds.shape[1]"), symbol("ds.shape[2]"), symbol("ds.shape[3]"))
        return
    assert model.model.data_calls[0].x[1:] == (*size, 3)
    assert model.status == "exact" and model.total == total


@pytest.mark.parametrize("load,total", [
    # Keras's image_utils (3.15): load_img resizes the file to target_size=(height, width) in its color mode;
    # img_to_array gives (height, width, channels), a grayscale image's one channel included; a keras.applications module's preprocess_input keeps an array's shape (VGG16's
    # reverses the channels and subtracts ImageNet's means, MobileNetV2's scales). The totals are Keras 3.15.1's
    # count of the model on keras.Input of that shape.
    ("img = keras.utils.load_img('cat.jpg', target_size=(150, 150))\n"
     "x = keras.applications.vgg16.preprocess_input(np.expand_dims(keras.utils.img_to_array(img), axis=0))\n",
     175346),
    ("from keras.preprocessing import image\n"
     "img = image.load_img('cat.jpg', target_size=[150, 150], interpolation='bilinear')\n"
     "x = keras.applications.mobilenet_v2.preprocess_input(image.img_to_array(img)[np.newaxis, ...] / 255.0)\n",
     175346),
    ("img = keras.utils.load_img('scan.png', color_mode='grayscale', target_size=(64, 64))\n"
     "x = keras.utils.img_to_array(img, dtype='float32')[None]\n", 30794),
    # without target_size the file's size, which is not known
    ("img = keras.utils.load_img('cat.jpg')\nx = keras.utils.img_to_array(img)[None]\n", None),
    # VGG16's means are subtracted channel by channel: an image of one channel has no channel 2 (IndexError)
    ("img = keras.utils.load_img('scan.png', color_mode='grayscale', target_size=(64, 64))\n"
     "x = keras.applications.vgg16.preprocess_input(keras.utils.img_to_array(img)[None])\n", None),
])
def test_image_files_to_predict_on(load, total):
    body = load + "m = keras.Sequential([layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(2)])\nm.predict(x)\n"
    model = _report(body).models[-1]
    if total is None:
        assert model.status != "exact"
        return
    assert model.status == "exact" and model.total == total


def test_tf_data_from_tensor_slices():
    body = ("import tensorflow as tf\nx = np.zeros((100, 8))\ny = np.zeros(100)\n"
            "ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(100).batch(16)\n"
            "m = keras.Sequential([keras.Input((8,)), layers.Dense(1)])\nm.compile('adam', 'mse')\nm.fit(ds)\n")
    assert _calls(body) == [((16, 8), (16,))]
    assert _codes(body) == []
    unbatched = body.replace(".batch(16)", "")
    assert _calls(unbatched) == [((8,), ())]
    assert _codes(unbatched) == ["KC701"]  # each sample goes in as a batch of 8 numbers


def test_pad_sequences_to_a_length_not_known():
    # Whatever the length, the padded array has one row per sequence and that many columns: a symbol
    # (the numbers of such models are checked against real Keras in fixtures/interpreter2/padded_data_symbols.py).
    body = ("import json\nfrom keras.utils import pad_sequences\nseqs = json.loads(text)\ncfg = json.loads(conf)\n"
            "X = pad_sequences(seqs, maxlen=cfg['len'])\nm = keras.Sequential([layers.Dense(2)])\nm.predict(X)\n")
    assert [str(c.x[1]) for c in _report(body).models[0].model.data_calls] == ["cfg['len']"]
    longest = body.replace(", maxlen=cfg['len']", ", padding='post'")
    assert [str(c.x[1]) for c in _report(longest).models[0].model.data_calls] == ["pad_sequences(seqs).shape[1]"]
    total = _report(longest).models[0].total
    assert symbol_names(total) == ("pad_sequences(seqs).shape[1]",)
    assert _at(total, {"pad_sequences(seqs).shape[1]": 9}) == spelled_total(9, "layers.Dense(2)")
    # a length that is no positive number: not followed
    assert _report(body.replace("cfg['len']", "0")).models[0].status == "unknown"
    # a length that is a symbol already is that symbol
    named = body.replace("cfg['len']", "len(cfg)")
    assert [str(c.x[1]) for c in _report(named).models[0].model.data_calls] == ["len(cfg)"]


def test_tf_data_of_python_lists_and_repeat():
    # Nested lists are sliced as the tensor TensorFlow makes of them; repeat() without a count gives the
    # samples without end, so every batch is full (3 samples, batches of 64: each of 64 samples).
    body = ("import tensorflow as tf\nfeatures = [[1., 1.5], [2., 2.5], [3., 3.5]]\nlabels = [[0.3], [0.5], [0.7]]\n"
            "ds = tf.data.Dataset.from_tensor_slices((features, labels)).shuffle(10).repeat().batch(64)\n"
            "m = keras.Sequential([layers.Dense(1)])\nm.compile('adam', 'mse')\nm.fit(ds, steps_per_epoch=2)\n")
    assert _calls(body) == [((64, 2), (64, 1))]
    (model,) = _report(body).models
    assert model.status == "exact" and model.total == spelled_total(2, "layers.Dense(1)")
    assert _calls(body.replace(".repeat()", "")) == [((3, 2), (3, 1))]  # one batch of the 3 samples
    assert _calls(body.replace(".repeat()", ".repeat(30)")) == [((64, 2), (64, 1))]  # 90 samples
    assert _calls(body.replace(".repeat()", ".repeat(2)")) == [((6, 2), (6, 1))]
    assert _calls(body.replace(".repeat().batch(64)", ".batch(64).repeat()")) == [((3, 2), (3, 1))]
    # ragged lists are no tensor
    assert _calls(body.replace("[3., 3.5]", "[3.]")) == []


def test_tf_data_from_tensors_is_one_whole_element():
    # from_tensors makes a dataset of a single element, the whole tensors (from_tensor_slices cuts them along
    # their first axis): repeat(n).batch(b) then gives batches of (b, 5); a subclassed model fit on it is built
    # on (None, 5), as TensorFlow's distribute tutorial does (Dense(5): 30 weights).
    body = ("import tensorflow as tf\n"
            "class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
            "        self.out = layers.Dense(5)\n    def call(self, inputs):\n        return self.out(inputs)\n"
            "ds = tf.data.Dataset.from_tensors((tf.range(5, dtype=tf.float32), tf.range(5, dtype=tf.float32)))"
            ".repeat(100).batch(4)\nm = Net()\nm.compile(optimizer='adam', loss='mse')\nm.fit(ds, epochs=2)\n")
    assert _calls(body) == [((4, 5), (4, 5))]
    (model,) = _report(body).models
    assert model.status == "exact" and model.total == spelled_total(5, "layers.Dense(5)")
    # one element, not repeated: a batch of 1; from_tensor_slices of the same vector gives 5 scalars instead
    assert _calls(body.replace(".repeat(100)", "")) == [((1, 5), (1, 5))]
    sliced = body.replace("from_tensors", "from_tensor_slices")
    assert _calls(sliced) == [((4,), (4,))]
    # a nested list is the tensor TensorFlow makes of it; a value not known is not followed
    assert _calls(body.replace("(tf.range(5, dtype=tf.float32), tf.range(5, dtype=tf.float32))",
                               "([[1., 2.], [3., 4.]], [0.])")) == [((4, 2, 2), (4, 1))]
    assert _report(body.replace("(tf.range(5, dtype=tf.float32), tf.range(5, dtype=tf.float32))",
                                "load()")).models[0].status == "unknown"


def test_timeseries_dataset():
    body = ("data = np.zeros((1000, 5))\ntargets = np.zeros((1000, 2))\n"
            "ds = keras.utils.timeseries_dataset_from_array(data, targets, sequence_length=24, batch_size=64)\n"
            "m = keras.Sequential([keras.Input((24, 5)), layers.LSTM(4), layers.Dense(2)])\nm.compile('adam', 'mse')\n"
            "m.fit(ds)\n")
    assert _calls(body) == [((None, 24, 5), (None, 2))]
    assert _codes(body) == []


def test_tensorflow_one_hot():
    body = ("import tensorflow as tf\ny = tf.one_hot(np.random.randint(0, 5, 64), 5)\n"
            "m = keras.Sequential([keras.Input((3,)), layers.Dense(2, activation='softmax')])\n"
            "m.compile('adam', 'categorical_crossentropy')\nm.fit(np.zeros((64, 3)), y)\n")
    assert _calls(body) == [((64, 3), (64, 5))]
    assert _codes(body) == ["KC702"]


MNIST = ("from tensorflow.examples.tutorials.mnist import input_data\n"
         "mnist = input_data.read_data_sets('MNIST_data/', one_hot={})\n")


def test_tutorial_mnist():
    body = MNIST.format(False) + ("x, y = mnist.train.next_batch(500)\n"
                                  "m = keras.Sequential([keras.Input((3,)), layers.Dense(mnist.train.images.shape[0]),"
                                  " layers.Dense(mnist.test.num_examples), layers.Dense(x.shape[1]),"
                                  " layers.Dense(y.shape[0])])\n")
    assert _units(body) == ["55000", "10000", "784", "500"]
    conv = MNIST.format(True) + ("x, y = mnist.train.next_batch(100)\n"
                                 "m = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(4, 3), layers.Flatten(),"
                                 " layers.Dense(10, activation='softmax')])\nm.compile('adam', 'categorical_crossentropy')\n"
                                 "m.fit(x, y)\n")
    assert _codes(conv) == ["KC701"]
    assert _codes(conv.replace("m.fit(x, y)", "m.fit(x.reshape(-1, 28, 28, 1), y)")) == []


#: HEAD for tf.keras (Keras 2) code.
TF_HEAD = "import numpy as np\nimport pandas as pd\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"


def _tf_codes(body: str):
    report = analyze_source(TF_HEAD + body, "t.py", Config(select=["KC701", "KC702", "KC703", "KC704"]))
    assert report.internal_error is None
    return [d.code for d in report.diagnostics]


def test_elementwise_loss_one_label_per_sample_is_left_to_tf_keras():
    # tf.keras 2 gave (32,) labels a last axis before the loss: not reported in tf.keras code. Keras 3 does not
    # ("Incompatible shapes for broadcasting: shapes=[(32,), (32, 4)]", Keras 3.15): reported in Keras 3 code.
    body = ("m = keras.Sequential([keras.Input((5,)), layers.Dense(4)])\nm.compile('adam', 'mse')\n"
            "m.fit(np.zeros((100, 5)), np.zeros(100))\n")
    assert _tf_codes(body) == []
    assert _codes(body) == ["KC702"]


def test_binary_crossentropy_two_units_reported_only_after_a_sigmoid():
    # tf.keras 2 checked the shapes only after a sigmoid (it broadcast otherwise); Keras 3 always checks them
    # ("Arguments `target` and `output` must have the same shape", Keras 3.15).
    body = ("m = keras.Sequential([keras.Input((5,)), layers.Dense(2, activation='sigmoid')])\n"
            "m.compile('adam', 'binary_crossentropy')\nm.fit(np.zeros((100, 5)), np.zeros(100))\n")
    assert _codes(body) == ["KC702"]
    assert _tf_codes(body) == ["KC702"]
    assert _tf_codes(body.replace("'sigmoid'", "'softmax'")) == []
    assert _codes(body.replace("'sigmoid'", "'softmax'")) == ["KC702"]


def test_json_and_hover_show_the_data():
    import json

    from kerascount.lsp.hover import Hit, markdown
    from kerascount.report import json_

    body = CSV + ("X = df.drop(columns=['y']).values\ny = df['y'].values\n"
                  "m = keras.Sequential([keras.Input((X.shape[1],)), layers.Dense(1)])\nm.compile('adam', 'mse')\n"
                  "m.fit(X, y, validation_data=(X[:10], y[:10]))\n")
    report = _report(body)
    (model,) = json.loads(json_.render([report], "0"))["files"][0]["models"]
    rows, cols = 'len(pd.read_csv("data.csv"))', f"{COLS} - 1"
    assert model["data"] == [{"method": "fit", "line": 10, "x": [rows, cols], "y": [rows],
                              "validation_x": [None, cols], "validation_y": [None]}]  # the file may have fewer rows
    text = markdown(Hit(report.models[0], (), report.models[0].model.span))
    assert f"- `fit` (line 10): x `({rows}, {cols})`, y `({rows},)`, validation x `(None, {cols})`" in text


def test_tf_data_map_with_a_function_of_the_file():
    body = ("import tensorflow as tf\nseqs = np.random.randint(0, 10, (40, 6))\n"
            "def shift(batch):\n    return batch[:-1], batch[1:]\n"
            "ds = tf.data.Dataset.from_tensor_slices(seqs).batch(40, drop_remainder=True).map(shift)\n"
            "m = keras.Sequential([keras.Input((6,)), layers.Dense(6, activation='softmax')])\n"
            "m.compile('adam', 'categorical_crossentropy')\nm.fit(ds)\n")
    assert _calls(body) == [((39, 6), (39, 6))]
    assert _codes(body) == []
    assert _codes(body.replace("layers.Dense(6,", "layers.Dense(10,")) == ["KC702"]
    assert _calls(body.replace("drop_remainder=True", "drop_remainder=False").replace("(40, 6)", "(n, 6)")) == []


def test_a_frame_given_a_column_is_not_checked_with_its_old_width():
    body = CSV + ("n = len(df.columns)\ndf['ratio'] = df['a'] / df['b']\nX = df.drop('label', axis=1).values\n"
                  "m = keras.Sequential([keras.Input((n,)), layers.Dense(1)])\nm.compile('adam', 'mse')\n"
                  "m.fit(X, df['label'].values)\n")
    assert _codes(body) == []  # the frame has a column more: X is n wide, as the model expects
    assert _codes(body.replace("df['ratio'] = df['a'] / df['b']\n", "")) == ["KC701"]
    assert _codes(body.replace("df['ratio'] = df['a'] / df['b']", "df.insert(0, 'ratio', 1.0)")) == []


#: A model joining an input of width `a` with a Dense of width `b` (the sizes the snippets before it read).
JOINED = "inp = keras.Input((a,))\nm = keras.Model(inp, layers.Concatenate()([inp, layers.Dense(b)(inp)]))\n"


def _joined_width(body: str):
    """The width of the joined model's output, `a + b`, after ``body`` (which sets `a` and `b`)."""
    (model,) = _report(body + JOINED).models
    return model.rows[-1].output_shape[-1]


@pytest.mark.parametrize("body", [
    # pandas: `df["c"] = 1` adds a column where the frame has none of that name, which the source does not show
    CSV + "a = df.shape[1]\ndf['c'] = 1\nb = df.shape[1]\n",
    # a tokenizer of code not seen, fitted again, has a longer word index
    "from mylib import Tokenizer\ntok = Tokenizer()\ntok.fit_on_texts(open('a.txt'))\n"
    "a = len(tok.word_index) + 1\ntok.fit_on_texts(open('b.txt'))\nb = len(tok.word_index) + 1\n",
    # an attribute of parsed arguments assigned anew
    "import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument('--units', type=int)\n"
    "args = parser.parse_args()\na = args.units\nargs.units = args.units * 2\nb = args.units\n",
    # an item assigned into what an object of code not seen holds: the object may have changed
    "from mylib import Tokenizer\ntok = Tokenizer()\ntok.fit_on_texts(open('a.txt'))\na = len(tok.word_index)\n"
    "tok.word_index['<pad>'] = 0\nb = len(tok.word_index)\n",
    # a set held by an object of the file's class the analysis no longer follows, given a word more
    "class Vocab:\n    def __init__(self):\n        self.words = set()\n    def fit(self, path):\n"
    "        for line in open(path):\n            self.words.update(line.split())\n"
    "v = Vocab()\nv.fit('a.txt')\na = len(v.words)\nv.words.add('<unk>')\nb = len(v.words)\n",
    # a set the analysis does not follow, given a word more
    "vocab = set()\nfor line in open('f.txt'):\n    vocab.update(line.split())\na = len(vocab)\n"
    "vocab.add('<unk>')\nb = len(vocab)\n",
    # what a user types is read afresh at each call
    "a = int(input())\nb = int(input())\n",
])
def test_a_size_read_before_and_after_a_change_is_two_sizes(body):
    # the size read before the change and the one read after are two symbols, never one counted twice
    width = _joined_width(body)
    assert len(symbol_names(width)) == 2, width


@pytest.mark.parametrize("body,width", [
    (CSV + "a = df.shape[1]\nb = df.shape[1]\n", f"2*{COLS}"),
    # a reader of a tokenizer (texts_to_sequences) changes nothing
    ("from mylib import Tokenizer\ntok = Tokenizer()\ntok.fit_on_texts(open('a.txt'))\na = len(tok.word_index) + 1\n"
     "seqs = tok.texts_to_sequences(['a b'])\nb = len(tok.word_index) + 1\n", "2*len(tok.word_index) + 2"),
    # a module outside the project given a new value of its attribute: Python reads that value from then on
    ("import settings_not_seen as cfg\na = cfg.N\ncfg.N = cfg.N + 1\nb = cfg.N\n", "2*cfg.N + 1"),
])
def test_a_size_read_again_without_a_change_or_after_a_value_assigned(body, width):
    assert str(_joined_width(body)) == width


def test_frame_rows_sliced_and_scaled_keep_their_columns():
    # pandas: `df[0:100]` takes rows by position and keeps every column; a frame minus its own column means (a
    # series indexed by its column labels) and divided by a number keeps its shape
    body = CSV + ("train = df[0:int(len(df) * 0.7)]\ntrain = (train - train.mean()) / train.std()\n"
                  "X = np.array(train, dtype=np.float32)\n"
                  "m = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1]), layers.Dense(X.shape[0])])\n")
    width, rows = _units(body)
    assert width == COLS
    assert rows == "len(df[0:int(len(df) * 0.7)])"  # (a symbol of its own: the rows the slice takes)
    # another frame's means align on its own labels (the union of both): no width is claimed then
    other = body.replace("train.mean()", "pd.read_csv('other.csv').mean()")
    assert _units(other)[0] != COLS


def test_frame_min_max_scaling_keeps_its_columns():
    # pandas 3.1.2 and Keras 3.15.1 (numpy backend) on a CSV of 6 columns, `id` and `target` dropped: each of
    # these frames gives a Dense(8) of 40 parameters (4 columns). `df.max() - df.min()` is a series indexed by the
    # same column labels, so the division aligns with the columns; a frame whose rows are not known (`dropna()`)
    # keeps its columns as one whose rows are
    body = ("df = pd.read_csv('d.csv').dropna()\nX = df.drop(['id', 'target'], axis=1)\n"
            "a = (X - X.min()) / (X.max() - X.min())\nb = X - X.min()\nc = (X - X.mean()) / X.std()\n"
            "d = X.max() - X.min()\n"
            "m = keras.Sequential([keras.Input((3,)), layers.Dense(a.shape[1]), layers.Dense(b.shape[1]), "
            "layers.Dense(c.shape[1]), layers.Dense(d.shape[0])])\n")
    width = "len(pd.read_csv('d.csv').columns) - 2"
    assert _units(body) == [width] * 4
    # two series of other labels (two frames' statistics) are not followed: pandas unites their labels
    other = body.replace("(X.max() - X.min())", "(X.max() - pd.read_csv('e.csv').min())")
    (model,) = _report(other).models
    assert model.total is None and model.rows[0].output_shape is None


def test_frame_renamed_keeps_its_shape():
    # pandas 3.1.2 under Keras 3.15.1 on a CSV of 6 columns: Dense units 6, 6, 5 and 6 (a label that is no column,
    # "zz", is skipped); before, a frame renamed in place lost its width and a renamed copy was not followed
    body = ("df = pd.read_csv('d.csv')\na = df.shape[1]\ndf.rename(columns={'a': 'A', 'zz': 'Q'}, inplace=True)\n"
            "b = df.shape[1]\nd2 = df.rename(columns={'b': 'B'})\nx = d2.drop('target', axis=1).values\n"
            "m = keras.Sequential([keras.Input((3,)), layers.Dense(a), layers.Dense(b), layers.Dense(x.shape[1]), "
            "layers.Dense(d2.rename({'c': 'C'}, axis=1).shape[1])])\n")
    width = "len(pd.read_csv('d.csv').columns)"
    assert _units(body) == [width, width, f"{width} - 1", width]


def test_frame_reindexed_rows_keep_its_columns():
    # pandas 3.1.2 under Keras 3.15.1 on a CSV of 6 columns: Dense units 5, 6 and 6 (rows reindexed, the shuffle
    # of Kaggle notebooks, or a copy: every column stays); the rows a reindex names are a symbol of their own
    body = ("df = pd.read_csv('d.csv')\ndf = df.reindex(np.random.permutation(df.index))\n"
            "d2 = df.reindex(index=[0, 1, 7])\nd3 = df.reindex()\nX = df.drop(columns='target')\n"
            "m = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1]), layers.Dense(d2.shape[1]), "
            "layers.Dense(d3.shape[1]), layers.Dense(d2.shape[0])])\n")
    width = "len(pd.read_csv('d.csv').columns)"
    assert _units(body) == [f"{width} - 1", width, width, "d2.shape[0]"]


def test_frame_column_deleted():
    # pandas 3.1.2 under Keras 3.15.1 on a CSV of 6 columns: Dense units 6 and 3 (a column less for each `del`);
    # before, `del df["id"]` left the frame unknown
    body = ("df = pd.read_csv('d.csv')\na = df.shape[1]\ndel df['id']\ndel df['a'], df['b']\nx = df.values\n"
            "m = keras.Sequential([keras.Input((3,)), layers.Dense(a), layers.Dense(x.shape[1])])\n")
    width = "len(pd.read_csv('d.csv').columns)"
    assert _units(body) == [width, f"{width} - 3"]
    # a column not known by name: a width the source does not show (a symbol of its own)
    assert _units(body.replace("del df['id']", "del df[name]"))[1] == "x.shape[1]"


@pytest.mark.parametrize("expr,width", [
    # NumPy 2.4 and pandas 3.1.2 under Keras 3.15.1: np.size(x, axis) is x.shape[axis], np.shape(x) x.shape (of a
    # frame too), np.size(x) the product, np.ndim(x) the axes; all Python ints, which Keras takes as sizes
    ("np.size(x, 1)", "len(pd.read_csv('d.csv').columns) - 2"),
    ("np.size(f, axis=1)", "len(pd.read_csv('d.csv').columns) - 2"),
    ("np.shape(x)[1]", "len(pd.read_csv('d.csv').columns) - 2"),
    ("np.shape(f)[1]", "len(pd.read_csv('d.csv').columns) - 2"),
    ("np.size(z)", "35"),
    ("np.size(z, -1)", "7"),
    ("np.ndim(z)", "2"),
    ("np.shape(z)[0]", "5"),
])
def test_numpy_size_and_shape_functions(expr, width):
    body = ("f = pd.read_csv('d.csv').drop(['id', 'target'], axis=1)\nx = f.values\nz = np.zeros((5, 7))\n"
            f"m = keras.Sequential([keras.Input((3,)), layers.Dense({expr})])\n")
    assert _units(body) == [width]


def test_numpy_size_and_shape_of_data_not_seen_are_symbols():
    # as `X.shape[1]` of data the analysis does not see (np.load, a frame of columns not known)
    body = ("x = pd.read_csv('d.csv').drop(columns=[c for c in cols]).values\ny = np.load('y.npy')\n"
            "m = keras.Sequential([keras.Input((3,)), layers.Dense(np.size(x, 1)), layers.Dense(np.shape(y)[1])])\n")
    assert _units(body) == ["np.size(x, 1)", "np.shape(y)[1]"]


def test_numpy_size_of_an_axis_out_of_range_is_not_a_size():
    body = "z = np.zeros((5, 7))\nm = keras.Sequential([keras.Input((3,)), layers.Dense(np.size(z, 2))])\n"
    (model,) = _report(body).models
    assert model.total is None  # (NumPy raises IndexError)


def test_tf_data_map_on_batches_of_a_size_not_known():
    # timeseries_dataset_from_array: batches of (batch, sequence_length, features); a map of a function of the
    # file that slices the steps keeps the batch axis of the first batch, min(32, windows) when the number of
    # windows is not known
    body = CSV + ("def split(f):\n    inputs = f[:, slice(0, 6), :]\n    inputs.set_shape([None, 6, None])\n"
                  "    return inputs, f[:, 6:, :]\n"
                  "ds = keras.utils.timeseries_dataset_from_array(np.array(df, dtype=np.float32), None, "
                  "sequence_length=7, batch_size=32)\nx, y = next(iter(ds.map(split)))\n"
                  "m = keras.Sequential([keras.Input((3,)), layers.Dense(x.shape[0]), layers.Dense(x.shape[1]),"
                  " layers.Dense(x.shape[2]), layers.Dense(y.shape[1])])\n")
    assert _units(body) == ["min(32, windows)", "6", COLS, "1"]
    # a set_shape the element does not fit is not followed: the batches are data of sizes not known
    assert _units(body.replace("[None, 6, None]", "[None, 5, None]")) == [
        "x.shape[0]", "x.shape[1]", "x.shape[2]", "y.shape[1]"]


def test_a_model_not_fully_resolved_still_checks_the_rank_of_its_data():
    body = ("from mylib import Block\ninp = keras.Input((28, 28, 1))\nh = layers.Flatten()(Block(32)(inp))\n"
            "model = keras.Model(inp, layers.Dense(10, activation='softmax')(h))\n"
            "model.compile('adam', 'sparse_categorical_crossentropy')\nmodel.fit(np.zeros((100, 784)), np.zeros(100))\n")
    assert _codes(body) == ["KC701"]
    # Keras adds the channel axis itself; sizes and labels depend on the layers it does not know: nothing
    assert _codes(body.replace("np.zeros((100, 784))", "np.zeros((100, 28, 28))")) == []
    assert _codes(body.replace("np.zeros((100, 784))", "np.zeros((100, 32, 32, 1))")) == []


def test_pad_sequences_of_sequences_not_known():
    body = ("from keras.preprocessing.text import Tokenizer\nfrom keras.utils import pad_sequences\n"
            "tok = Tokenizer(num_words=500)\ntok.fit_on_texts(texts)\n"
            "X = pad_sequences(tok.texts_to_sequences(texts), maxlen=40)\n"
            "m = keras.Sequential([keras.Input((40, 8)), layers.LSTM(4), layers.Dense(1)])\nm.compile('adam', 'mse')\n"
            "m.fit(X, labels)\n")
    # (one row per sequence: Keras's len(sequences), a symbol named so; fixture data/shuffled_padded_rows)
    (shape, other), = _calls(body)
    assert [str(d) for d in shape] == ["len(tok.texts_to_sequences(texts))", "40"] and other is None
    assert _codes(body) == ["KC701"]  # (n, 40) into an LSTM that expects (n, 40, 8)
    assert _codes(body.replace("keras.Input((40, 8)), layers.LSTM(4)",
                               "keras.Input((40,)), layers.Embedding(500, 8), layers.LSTM(4)")) == []


def test_pad_sequences_of_a_comprehension_not_followed_keeps_its_rank_unknown():
    # Word vectors gathered by a comprehension over data the analysis does not count (hold-out 53: eastmountyxz's
    # blog20-07-rnn-word2vec03.py): pad_sequences keeps each step's shape. Real Keras 3.15 (tools/keras_truth.py
    # on this file with count = random.randint(2, 5)): x is (count, 40, 20); `scorer` has 21 params, its output
    # (None, 40, 1); `reader` (GRU(8)) 729. kerascount read x as (count, 40): `scorer` exact with 41 params, and
    # KC104 (GRU given rank 2) on correct code.
    body = ("import random\nfrom keras.utils import pad_sequences\nDIM = 20\n"
            "vectors = {'red': np.ones(DIM), 'sky': np.zeros(DIM)}\n"
            "def w2v(word):\n    return vectors[word] if word in vectors else np.zeros(DIM)\n"
            "count = random.randint(2, 5)\ntexts = [['red', 'sky', 'sun'] for _ in range(count)]\n"
            "x = pad_sequences([[w2v(w) for w in words] for words in texts], 40, dtype='float')\n"
            "steps = keras.Input(shape=x.shape[1:])\n"
            "reader = keras.Model(steps, layers.Dense(1, activation='sigmoid')(layers.GRU(8)(steps)))\n"
            "cells = keras.Input(shape=x.shape[1:])\nscorer = keras.Model(cells, layers.Dense(1)(cells))\n")
    report = _report(body, codes=("KC104", "KC701"))
    assert [(m.status, m.total) for m in report.models] == [("unknown", None), ("unknown", None)]
    assert "the steps of the sequences may be numbers or vectors" in report.models[1].reasons[0]
    assert _codes(body) == []
    # the same comprehension run to its end (a known count): the steps are seen, (2, 40, 20), exact as Keras
    known = _report(body.replace("random.randint(2, 5)", "2"), codes=("KC104", "KC701"))
    assert [(m.status, m.total) for m in known.models] == [("exact", 729), ("exact", 21)]
    assert known.models[1].rows[-1].output_shape == (None, 40, 1)


_PAD_PROBE = """
import json, sys

scope = {}
exec(json.loads(sys.argv[1]), scope)
print(json.dumps([scope["reader"].count_params(), scope["scorer"].count_params(), list(scope["scorer"].output.shape)]))
"""


@pytest.mark.keras
def test_pad_sequences_of_word_vectors_numbers_from_keras():
    """The numbers the test above expects, from real Keras (pad_sequences keeps the vectors' axis)."""
    from test_catalogue_keras import keras_probe

    body = ("import random\nfrom keras.utils import pad_sequences\nDIM = 20\n"
            "vectors = {'red': np.ones(DIM), 'sky': np.zeros(DIM)}\n"
            "def w2v(word):\n    return vectors[word] if word in vectors else np.zeros(DIM)\n"
            "count = 2\ntexts = [['red', 'sky', 'sun'] for _ in range(count)]\n"
            "x = pad_sequences([[w2v(w) for w in words] for words in texts], 40, dtype='float')\n"
            "steps = keras.Input(shape=x.shape[1:])\n"
            "reader = keras.Model(steps, layers.Dense(1, activation='sigmoid')(layers.GRU(8)(steps)))\n"
            "cells = keras.Input(shape=x.shape[1:])\nscorer = keras.Model(cells, layers.Dense(1)(cells))\n")
    assert keras_probe(_PAD_PROBE, HEAD.replace("import pandas as pd\n", "") + body) == [729, 21, [None, 40, 1]]


LOOP = ("import tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices((np.zeros((10, 3)), np.zeros(10))).batch(4)\n"
        "for xb, yb in ds:\n    last = xb\nm = keras.Sequential([layers.Dense(2)])\nm(last)\n")


# Which batch a loop leaves (the last, smaller one; drop_remainder; take(1); unbatch; a count through the loop)
# is checked against Keras + TensorFlow by fixtures/data/tf_dataset_batches.py.


@pytest.mark.parametrize("change", [
    ("np.zeros((10, 3))", "np.zeros((n, 3))"),  # how many batches: not known
    ("ds:", "ds.repeat().take(3):"),  # batches again: the later ones differ
    ("ds:", "ds.repeat():"),  # without end
    (".batch(4)", ".batch(size)"),  # batches of a size not known
])
def test_loops_over_datasets_not_known_are_not_followed(change):
    prelude = "n = int(input())\nsize = int(input())\n"
    assert _report(prelude + LOOP).models[0].status == "exact"  # unchanged, the loop is followed
    (model,) = _report(prelude + LOOP.replace(*change)).models
    assert model.status == "unknown" and model.total is None


# A subclassed model built by its first call in a custom training loop over a dataset of samples not counted (hold-out
# 68: the Reuters data of a course's notebook, padded to 100 steps, split by train_test_split, batched by 32).
CUSTOM_LOOP_NET = ("class Scale(layers.Layer):\n"
                   "    def build(self, input_shape):\n"
                   "        self.w = self.add_weight(shape=(input_shape[-1],), initializer='ones', name='kernel')\n"
                   "    def call(self, x):\n        return x * self.w\n"
                   "class Net(keras.Model):\n"
                   "    def __init__(self):\n        super().__init__()\n"
                   "        self.embed = layers.Embedding(500, 8)\n"
                   "        self.gru = layers.Bidirectional(layers.GRU(6, return_sequences=True), merge_mode='sum')\n"
                   "        self.norm = layers.BatchNormalization()\n"
                   "        self.pool = layers.GlobalAveragePooling1D()\n        self.scale = Scale()\n"
                   "        self.head = layers.Dense(46)\n"
                   "    def call(self, x):\n"
                   "        return self.head(self.scale(self.pool(self.norm(self.gru(self.embed(x))))))\n"
                   "net = Net()\n")
CUSTOM_LOOP = ("import tensorflow as tf\nn = int(input())\n"
               "ds = tf.data.Dataset.from_tensor_slices((np.zeros((n, 100)), np.zeros((n,)))).shuffle(50).batch(32)\n"
               + CUSTOM_LOOP_NET +
               "def loss_of(model, xb, yb):\n"
               "    return keras.losses.sparse_categorical_crossentropy(yb, model(xb, training=True), from_logits=True)\n"
               "opt = keras.optimizers.Adam()\nfor epoch in range(3):\n    for xb, yb in ds:\n"
               "        with tf.GradientTape() as tape:\n            loss = loss_of(net, xb, yb)\n"
               "        grads = tape.gradient(loss, net.trainable_weights)\n"
               "        opt.apply_gradients(zip(grads, net.trainable_weights))\nnet.summary()\n")
_NET_PROBE = """
import json, sys
import numpy as np
import keras
from keras import layers

scope = {"np": np, "keras": keras, "layers": layers}
exec(json.loads(sys.argv[1]), scope)
net = scope["net"]
net(np.zeros((7, 100)))
print(json.dumps([net.count_params(), sum(int(np.prod(w.shape)) for w in net.trainable_weights)]))
"""


@pytest.mark.keras
def test_a_custom_training_loop_over_a_dataset_not_counted_builds_the_model_on_its_elements_shape():
    """The dataset is taken to hold one batch at least (as for fit): the loop's first run is given the first batch
    (min(32, samples) rows of 100 steps), which builds the model through the function it calls; the runs after it
    are given a batch of a symbol's rows. Keras builds the model on any batch to the same numbers."""
    from test_catalogue_keras import keras_probe

    total, trainable = keras_probe(_NET_PROBE, CUSTOM_LOOP_NET)
    (model,) = _report(CUSTOM_LOOP).models
    assert (model.status, model.total, model.trainable) == ("exact", total, trainable)
    assert symbol_names(model.rows[0].output_shape[0]) == ("min(32, samples)",)  # (the first batch builds it)
    assert model.rows[0].output_shape[1:] == (100, 8)
    # a call straight in the loop's body builds it alike
    direct = CUSTOM_LOOP.replace("loss = loss_of(net, xb, yb)", "loss = keras.ops.mean(net(xb))")
    assert _report(direct).models[0].total == total
    # and over enumerate(ds), the training loop of keras.io's guide (a step the run does not know beside the batch)
    stepped = CUSTOM_LOOP.replace("for xb, yb in ds:", "for step, (xb, yb) in enumerate(ds):")
    assert _report(stepped).models[0].total == total
    # and over slices of an array whose rows are not counted: a slice has rows not known (a symbol, len(xb)) and
    # the array's other sizes (a loop over a range of a length not known may not run: the custom layer's own build,
    # which one run makes and none does not, leaves it unknown, so this net has none)
    plain_net = CUSTOM_LOOP_NET.replace("self.head(self.scale(self.pool(", "self.head((self.pool(")
    plain_total, plain_trainable = keras_probe(_NET_PROBE, plain_net)
    sliced = ("import tensorflow as tf\nn = int(input())\nxs = np.zeros((n, 100))\n" + plain_net +
              "for start in range(0, len(xs), 32):\n    xb = xs[start:start + 32]\n"
              "    with tf.GradientTape() as tape:\n        loss = keras.ops.mean(net(xb))\nnet.summary()\n")
    (model,) = _report(sliced).models
    assert (model.status, model.total, model.trainable) == ("exact", plain_total, plain_trainable)
    assert symbol_names(model.rows[0].output_shape[0]) == ("len(xb)",)
    # Elements of a shape not known, or a loop whose runs cannot each stand alone (one leaves it early), build
    # nothing the analysis can tell (the loop left with `break` was taken for one that never calls the model: "never
    # called, so Keras has not built it", 0 params, where Keras builds it on the first batch)
    for change in (("np.zeros((n, 100))", "np.load('steps.npy')"), ("opt.apply", "break\n        opt.apply")):
        (model,) = _report(CUSTOM_LOOP.replace(*change)).models
        assert model.status == "unknown" and model.total is None, change


def test_the_first_batch_of_data_not_counted_holds_one_sample_at_least():
    body = ("import tensorflow as tf\nds = keras.utils.image_dataset_from_directory('pics', image_size=(30, 30))\n"
            "for images, labels in ds.take(1):\n    one = images[0]\n"
            "m = keras.Sequential([layers.Flatten(), layers.Dense(2)])\nm(tf.expand_dims(one, 0))\n")
    (model,) = _report(body).models
    assert model.status == "exact" and model.rows[-1].output_shape == (1, 2)
    # the batch's size is a symbol (min(32, images in 'pics')): a sample past the first may not be there
    (model,) = _report(body.replace("images[0]", "images[5]")).models
    assert model.status == "unknown"


def test_tensorflow_tensors_of_data():
    body = ("import tensorflow as tf\nx = tf.constant([[1., 2.], [3., 4.], [5., 6.]])\n"
            "m = keras.Sequential([layers.Dense(1)])\nm.compile('adam', 'mse')\nm.fit(x, tf.range(3))\n")
    assert _calls(body) == [((3, 2), (3,))]
    assert _calls(body.replace("tf.constant(", "tf.convert_to_tensor(")) == [((3, 2), (3,))]
    assert _calls(body.replace("m.fit(x,", "m.fit(tf.reshape(x, (3, 1, 2)),")) == [((3, 1, 2), (3,))]
    assert _calls(body.replace("m.fit(x,", "m.fit(tf.concat([x, tf.ones((3, 5))], axis=1),")) == [((3, 7), (3,))]
    assert _calls(body.replace("m.fit(x,", "m.fit(tf.stack([x, x]),")) == [((2, 3, 2), (3,))]
    assert _calls(body.replace("tf.range(3)", "tf.range(1, 10, 3)")) == [((3, 2), (3,))]
    # ragged lists make no tensor; a shape= of tf.constant is not followed
    assert _calls(body.replace("[5., 6.]", "[5.]")) == [(None, (3,))]
    assert _calls(body.replace("[5., 6.]])", "[5., 6.]], shape=(2, 3))")) == [(None, (3,))]


def test_tensorflow_functions_of_keras_tensors_are_left_as_they_were():
    body = ("import tensorflow as tf\ninp = keras.Input((4,))\nout = tf.concat([inp, inp], axis=-1)\n"
            "m = keras.Model(inp, out)\n")
    (model,) = _report(body).models
    assert model.status == "unknown" and "tensorflow.concat" in " ".join(model.reasons)


def test_a_range_too_long_for_python_is_no_crash():
    body = ("import tensorflow as tf\nm = keras.Sequential([layers.Dense(1)])\nm.compile('adam', 'mse')\n"
            "m.fit(np.zeros((12, 3)), np.arange(2**70) % 3)\nm.fit(np.zeros((12, 3)), tf.range(2**70))\n")
    assert _report(body).internal_error is None
    assert _calls("m = keras.Sequential([layers.Dense(1)])\n"
                                                     "m.predict(np.arange(5, -7, -3))\n") == [((4,), None)]  # 5, 2, -1, -4


# gym environments: fixtures/data/gym_environment_spaces.py (and gym_discrete_numpy_units.py) check the spaces of
# built-in environments against Keras with gymnasium importable; these check what is left unknown, and that the old
# `gym` package is read as gymnasium is.
GYM = ("import gymnasium as gym\nenv = gym.make({args})\n"
       "m = keras.Sequential([keras.Input(env.observation_space.shape), layers.Dense(8), "
       "layers.Dense(int(env.action_space.{actions}))])\n")


def test_the_old_gym_package_has_the_same_spaces():
    made = _report(GYM.format(args="'Pendulum-v1'", actions="shape[0]")).models[0]
    old = _report(GYM.format(args="'Pendulum-v1'", actions="shape[0]").replace("import gymnasium as gym",
                                                                               "import gym")).models[0]
    assert made.status == "exact" and (old.status, old.total) == (made.status, made.total)


@pytest.mark.parametrize("args, actions", [
    ("'HalfCheetah-v4'", "shape[0]"),  # not a built-in environment of the table
    ("'FrozenLake-v1', map_name='8x8'", "n"),  # a keyword that changes the observation space
    ("'LunarLander-v3', continuous=True", "shape[0]"),  # ... or the action space
    ("name", "n"),  # an id not known
])
def test_environments_not_known_leave_their_spaces_unknown(args, actions):
    (model,) = _report("name = input()\n" + GYM.format(args=args, actions=actions)).models
    assert model.status != "exact"
    assert _report(GYM.format(args="'CartPole-v1'", actions="n")).models[0].status == "exact"


@pytest.mark.parametrize("wrap", [
    "gym.wrappers.RecordEpisodeStatistics(env)", "gym.wrappers.TimeLimit(env, max_episode_steps=200)",
    "wrappers.Monitor(env, '/tmp/run', force=True)", "gym.wrappers.RecordVideo(env, 'videos')",
])
def test_wrappers_that_record_or_limit_episodes_keep_the_spaces(wrap):
    # gym's wrappers that record episodes or videos, limit the steps or check the call order keep the wrapped
    # environment's spaces (an old DQN script wraps it in Monitor on both ways of a command-line flag: the ways agree
    # now); Keras builds the CartPole network, 4 observations and 2 actions, with 58 parameters
    from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

    body = GYM.format(args="'CartPole-v1'", actions="n").replace(
        "env = gym.make('CartPole-v1')\n",
        f"from gymnasium import wrappers\nenv = gym.make('CartPole-v1')\nif input():\n    env = {wrap}\n").replace(
        "keras.Input(env.observation_space.shape)", "keras.Input((env.observation_space.shape[0],))")
    (model,) = _report(body).models
    truth = keras_probe(COUNT_OR_RAISED, {"m": "import keras\nfrom keras import layers\nmodel = keras.Sequential("
                                               "[keras.Input((4,)), layers.Dense(8), layers.Dense(2)])\n"})
    assert (model.status, model.total) == ("exact", truth["m"])
    # an environment the analysis does not see: the wrapper's observations are its symbol
    unseen = body.replace("gym.make('CartPole-v1')", "gym.make(input())")
    (model,) = _report(unseen).models
    assert model.status == "symbolic" and "env.observation_space.shape[0]" in symbol_names(model.total), model.reasons
    assert not any("condition" in r for r in model.reasons), model.reasons


def test_a_wrapper_that_changes_observations_is_not_taken_for_the_environment():
    body = GYM.format(args="'CartPole-v1'", actions="n").replace(
        "env = gym.make('CartPole-v1')\n", "env = gym.wrappers.FrameStack(gym.make('CartPole-v1'), 4)\n")
    (model,) = _report(body).models
    assert model.status == "unknown"


def test_a_box_space_has_no_n():
    (model,) = _report(GYM.format(args="'Pendulum-v1'", actions="n")).models
    assert model.status != "exact"


def test_python_lists_given_to_numpy_and_to_categorical_are_their_arrays():
    """fixtures/data/python_lists_as_arrays.py (hold-out 14: a course's LSTM-on-the-alphabet notebooks reshape
    the rows a loop appended with np.reshape, and count classes with to_categorical of a list). A list whose size
    does not fit the new shape is NumPy's ValueError; labels the analysis cannot read count no classes."""
    src = ("import sys\nimport numpy as np\nimport keras\nfrom keras import layers\n"
           "rows = [[1, 2, 3], [4, 5, 6]]\nbad = np.reshape(rows, (2, 2, 1))\n"
           "m = keras.Sequential([keras.Input(bad.shape[1:]), layers.LSTM(4)])\n"
           "labels = keras.utils.to_categorical([0, int(sys.argv[1])])\n"
           "n = keras.Sequential([keras.Input((3,)), layers.Dense(labels.shape[1])])\n"
           "ok = np.squeeze([[1], [2]])\nk = keras.Sequential([keras.Input(ok.shape), layers.Dense(2)])\n")
    report = analyze_source(src, "lists.py")
    by_name = {m.model.name: m for m in report.models}
    assert by_name["m"].status == "unknown" and by_name["m"].total is None
    assert any(d.code == "KC704" and d.span.line == 6 for d in report.diagnostics), report.diagnostics
    assert by_name["n"].status == "symbolic" and symbol_names(by_name["n"].total) == ("labels.shape[1]",)
    assert by_name["k"].status == "exact" and by_name["k"].inputs == ((None, 2),)  # NumPy: squeeze of (2, 1) is (2,)
    # A list of arrays of the data's sizes (files read in a loop) is left to the data's symbols, as before: the
    # sizes of different files are not known to be the same (hold-out 11's inertial signals).
    signals = ("import numpy as np\nimport pandas as pd\nimport keras\nfrom keras import layers\nparts = []\n"
               "for name in ('a.txt', 'b.txt'):\n    parts.append(pd.read_csv(name).values)\n"
               "x = np.transpose(parts, (1, 2, 0))\n"
               "flat = x.reshape((x.shape[0], x.shape[1] * x.shape[2]), order='F')\n"
               "m = keras.Sequential([keras.Input((flat.shape[1],)), layers.Dense(2)])\n")
    (model,) = analyze_source(signals, "signals.py").models
    assert model.status == "symbolic" and symbol_names(model.total) == ("x.shape[1]", "x.shape[2]")


def test_next_of_a_fresh_dataset_iterator_is_its_first_element():
    # fixtures/data/dataset_next.py holds these against real Keras (with TensorFlow importable)
    body = ("import tensorflow as tf\n"
            "ds = tf.data.Dataset.from_tensor_slices((np.zeros((90, 30, 4)), np.zeros((90,)))).batch(20)\n"
            "x, y = next(iter(ds))\n"
            "m = keras.Sequential([keras.Input(shape=(x.shape[0], x.shape[2])), layers.Dense(3)])\n")
    (model,) = _report(body).models
    assert model.status == "exact" and model.total == spelled_total(4, "layers.Dense(3)")
    assert [str(r.output_shape) for r in model.rows] == ["(None, 20, 3)"]


def test_next_of_an_image_iterator_is_not_taken_for_its_first_batch():
    # Keras's image iterators are their own iterators: `iter(flow)` goes on from the batches taken before
    # (10 images in batches of 4: the second batch has 4 images, the third 2).
    body = ("import tensorflow as tf\n"
            "flow = tf.keras.preprocessing.image.ImageDataGenerator().flow(np.zeros((10, 8, 8, 3)), "
            "np.zeros((10, 2)), batch_size=4)\n"
            "next(flow)\nnext(flow)\nimages, _ = next(iter(flow))\n"
            "m = keras.Sequential([keras.Input(shape=(images.shape[0],)), layers.Dense(2)])\n")
    (model,) = _report(body).models
    assert model.status == "unknown" and model.total is None
    assert any("its own iterator" in r for r in model.reasons)


# The widths of real pandas (3.1.1) under real Keras (3.15.1, tools/keras_truth.py on a file of these frames with
# d.csv = "a,b,c,d" and one row): the model's input width each gives. Before, kerascount said 4, 4, 4, 3, 3, 3, 3,
# 1 and 1 for the first nine (it took index_col's columns, repeated usecols and drop labels, and the columns a dict or
# frame is given, as no change or as more columns), and 2, 2 and 1 for the first three symbols below.
_DICT = 'data = {"a": [1], "b": [2], "c": [3]}\nsame = pd.DataFrame(data)\n'


@pytest.mark.parametrize("expr,width", [
    ('pd.read_csv("d.csv", usecols=["a", "b", "c", "d"], index_col="a")', "3"),
    ('pd.read_csv("d.csv", usecols=["a", "b", "c", "d"], index_col=0)', "3"),
    ('pd.read_csv("d.csv", usecols=["a", "b", "c", "d"], index_col=["a", "b"])', "2"),
    ('pd.read_csv("d.csv", usecols=["a", "a", "b"])', "2"),
    ('pd.DataFrame(data, columns=["a", "b"])', "2"),
    ('pd.DataFrame(data, columns=["a", "b", "x", "y"])', "4"),
    ('pd.DataFrame(same, columns=["a"])', "1"),
    ('same.drop(columns=["a", "a"])', "2"),
    ("same.columns.drop(['a', 'a'])", "2"),
    ('pd.read_csv("d.csv", usecols=["a", "b", "c", "d"], index_col=False)', "4"),
    ("pd.concat([same, same])", "3"),
    ("pd.concat([same, same], axis=1)", "6"),
    ('same.drop(["a", "b"], axis=1)', "1"),
])
def test_frame_widths_pandas_gives(expr, width):
    shape = "len(X)" if ".columns." in expr else "X.shape[1]"
    body = _DICT + f"X = {expr}\nm = keras.Sequential([keras.Input((3,)), layers.Dense({shape})])\n"
    assert _units(body) == [width]


@pytest.mark.parametrize("expr", [
    # pandas gives 4 (a, b, c, d: the union of the names), 2 (the items that are columns), 2 (the numeric columns)
    'pd.concat([pd.DataFrame({"a": [1], "b": [2]}), pd.DataFrame({"c": [1], "d": [2]})])',
    'same.filter(items=["a", "zzz"])',
    'same.drop(columns=["a", "zzz"], errors="ignore")',
    'pd.read_csv("d.csv", usecols=["a", "b", "c"], parse_dates=[["a", "b"]])',
])
def test_frame_widths_the_source_does_not_fix_are_symbols(expr):
    (width,) = _units(_DICT + f"X = {expr}\nm = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1])])\n")
    assert not width.isdigit(), width


def test_numeric_only_statistics_have_a_length_of_their_own():
    body = _DICT + ('mixed = pd.DataFrame({"a": [1], "b": [2], "c": ["x"]})\nmeans = mixed.mean(numeric_only=True)\n'
                    "m = keras.Sequential([keras.Input((3,)), layers.Dense(means.shape[0])])\n")
    (width,) = _units(body)
    assert not width.isdigit(), width  # pandas: 2 (a and b), not the frame's 3


def test_inverse_transforms_of_encoders():
    # scikit-learn 1.9.1 under real Keras (tools/keras_truth.py): OneHotEncoder().inverse_transform(T) has the
    # 2 columns of what it was fitted on (not T's categories), LabelBinarizer().inverse_transform(Y) one label
    # per sample: the models have 3 and 4 parameters. Before, kerascount gave both the width of their input
    # (a symbolic width equal to the categories', and 8 parameters for the second).
    body = ("from sklearn.preprocessing import OneHotEncoder, LabelBinarizer\nX = np.zeros((40, 2))\n"
            "oh = OneHotEncoder(sparse_output=False)\nT = oh.fit_transform(X)\nback = oh.inverse_transform(T)\n"
            "lb = LabelBinarizer()\nY = lb.fit_transform(np.zeros(40))\nlabels = lb.inverse_transform(Y)\n"
            "m = keras.Sequential([keras.Input((back.shape[1],)), layers.Dense(1)])\n"
            "m2 = keras.Sequential([keras.Input((3,)), layers.Dense(len(labels.shape))])\n")
    first, second = _report(body).models
    assert first.status == "symbolic" and symbol_names(first.total) == ("back.shape[1]",)
    assert second.status == "exact" and second.total == 4


@pytest.mark.parametrize("expr", [
    "df[df['price'] > 150000]",
    "df[(df['price'] <= 1000000) & (df['price'] > 150000) | (df['kind'] == 'a')]",
    "df[~(df['kind'] != 'a')]",
    "df[df['a'].notna()]",
    "df[df['kind'].isin(['a', 'b'])].dropna()",
    "df.loc[df['a'] > 0]",
    # a column read as an attribute (pandas's "attribute access", df.price for df["price"]), as Kaggle kernels do
    "df[df.price > 150000]",
    "df[(df.price <= 1000000) & ~(df.kind == 'a')]",
])
def test_rows_a_mask_selects_keep_every_column(expr):
    # pandas: a frame indexed by a series of booleans (a comparison of a column, & | ~ of those, isna/notna/isin)
    # holds the rows where it is True and every column; the number of rows is another one
    body = CSV + f"X = {expr}\nm = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1]), layers.Dense(len(X))])\n"
    width, rows = _units(body)
    assert width == COLS
    assert rows != 'len(pd.read_csv("data.csv"))' and not rows.isdigit()


@pytest.mark.parametrize("expr", [
    # rows of one frame put under each other (hold-out 61, a fraud-detection notebook balancing its classes): pandas
    # concatenates frames of the same columns into a frame of those columns (DataFrame._append, pandas 2's private
    # name of pandas 1's append, does what pd.concat does); sampling rows and a new index keep the columns
    "pd.concat([df[df.Class == 0].sample(50), df[df.Class == 1]])",
    "df[df['Class'] == 0].sample(50)._append(df[df['Class'] == 1]).sample(frac=1).reset_index(drop=True)",
    "df.head(10).append([df.tail(5), df.sample(3)], ignore_index=True)",
])
def test_rows_of_one_frame_put_together_keep_its_columns(expr):
    body = CSV + f"X = {expr}\nm = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1])])\n"
    assert _units(body) == [COLS]


@pytest.mark.parametrize("expr", [
    "pd.concat([df, pd.read_csv('other.csv')])",
    "df._append(pd.read_csv('other.csv'))",
    "df.drop(columns=['a'])._append(df)",
])
def test_frames_of_other_columns_put_together_have_a_width_of_their_own(expr):
    (width,) = _units(CSV + f"X = {expr}\nm = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1])])\n")
    assert width != COLS and not width.isdigit(), width


def test_a_column_read_as_an_attribute_and_methods_still_called():
    # df.price is the column (pandas: a Series of the frame's rows); df.head() and df.dropna() are still methods
    body = CSV + ("y = df.price.values.reshape(-1, 1)\nX = df.dropna()\n"
                  "m = keras.Sequential([keras.Input((3,)), layers.Dense(y.shape[1]), layers.Dense(X.shape[1]), "
                  "layers.Dense(df.head().shape[1])])\n")
    assert _units(body) == ["1", COLS, COLS]


def test_a_mask_and_columns_with_loc():
    body = CSV + "X = df.loc[df['a'] > 0, ['b', 'c']]\nm = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1])])\n"
    assert _units(body) == ["2"]


@pytest.mark.parametrize("key", ["df['a']", "df['a'] + 1", "df[['a', 'b']]"])
def test_keys_that_are_no_mask_are_not_taken_for_rows(key):
    # a series of values (not booleans) or a frame as a key selects by labels, which the source does not show
    body = CSV + f"X = df[{key}]\nm = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1])])\n"
    assert _units(body) != [COLS]


def test_a_column_assigned_under_a_name_not_known_leaves_a_frame_of_a_width_of_its_own():
    # pandas: df[col] = ... replaces the column or adds one (df[["a", "b"]] = ... two): still a frame of as many
    # rows, of a width the source does not show; before, the frame was lost (a model sized by it unknown)
    for loop in ("for col in list(df.columns):\n    df[col] = df[col].fillna(0)\n",
                 "for col in [c for c in df.columns if df[c].dtype == object]:\n    if col in df.columns:\n"
                 "        df[col] = 1\n", "df[['x', 'y']] = 0\n"):
        body = CSV + loop + ("X = df.values\nm = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1]),"
                             " layers.Dense(len(X))])\n")
        (model,) = _report(body).models
        width, rows = [str(row.output_shape[-1]) for row in model.rows if row.layer.type == "Dense"]
        assert width != COLS and "shape[1]" in width, width  # (a column may be a new one)
        assert model.status == "symbolic", model.status


def test_tf_data_map_whose_labels_are_not_followed_still_gives_its_inputs():
    # TensorFlow's time series tutorial: WindowGenerator.split_window stacks the label columns it picks by name
    # (tf.stack of labels[:, :, column_indices[name]]), which the analysis does not follow; the inputs, which build
    # the model in fit, are followed. Real Keras (numpy backend) with 19 columns, the tutorial's: Dense 64-64-1 on
    # (32, 1, 19) has 5505 parameters, LSTM(32) + Dense(1) on (32, 24, 19) 6689
    body = CSV + ("import tensorflow as tf\ncolumn_indices = {name: i for i, name in enumerate(df.columns)}\n"
                  "def split(f):\n    inputs = f[:, slice(0, W), :]\n    labels = f[:, W:, :]\n"
                  "    labels = tf.stack([labels[:, :, column_indices[name]] for name in ['T (degC)']], axis=-1)\n"
                  "    inputs.set_shape([None, W, None])\n    labels.set_shape([None, 1, None])\n"
                  "    return inputs, labels\n"
                  "ds = tf.keras.utils.timeseries_dataset_from_array(np.array(df, dtype=np.float32), None, "
                  "sequence_length=W + 1, batch_size=32).map(split)\n")
    dense = ("W = 1\n" + body + "m = tf.keras.Sequential([layers.Dense(64, activation='relu'), "
             "layers.Dense(64, activation='relu'), layers.Dense(1)])\nm.compile('adam', 'mse')\nm.fit(ds, epochs=2)\n")
    lstm = ("W = 24\n" + body + "m = tf.keras.Sequential([layers.LSTM(32, return_sequences=True), layers.Dense(1)])\n"
            "m.compile('adam', 'mse')\nm.fit(ds, epochs=2)\n")
    for source, per_column, rest, steps in ((dense, 64, 4289, 1), (lstm, 128, 4257, 24)):
        (model,) = _report(source).models
        assert model.status == "symbolic", model.reasons
        assert str(model.total) == f"{per_column}*{COLS} + {rest}"
        assert [str(d) for d in model.rows[-1].output_shape] == ["min(32, windows)", str(steps), "1"]
        assert per_column * 19 + rest == {1: 5505, 24: 6689}[steps]
    # labels the function is known to fail on (NumPy raises): the map never gives an element
    raising = dense.replace("tf.stack([labels[:, :, column_indices[name]] for name in ['T (degC)']], axis=-1)",
                            "np.zeros((2, 3)).reshape((7,))")
    (model,) = _report(raising).models
    assert model.status != "symbolic"


_WINDOWS = (CSV + "import tensorflow as tf\ncolumn_indices = {name: i for i, name in enumerate(df.columns)}\n"
            "class Windows:\n    def __init__(self, width):\n        self.width = width\n"
            "    def split(self, f):\n        inputs = f[:, slice(0, self.width), :]\n"
            "        labels = f[:, self.width:, :]\n"
            "        labels = tf.stack([labels[:, :, column_indices[n]] for n in ['T (degC)']], axis=-1)\n"
            "        inputs.set_shape([None, self.width, None])\n        return inputs, labels\n"
            "    @property\n    def train(self):\n"
            "        ds = tf.keras.utils.timeseries_dataset_from_array(np.array(df, dtype=np.float32), None, "
            "sequence_length=self.width + 1, batch_size=32)\n"
            "        return ds.map(self.split)\n"
            "    @property\n    def example(self):\n        result = getattr(self, '_example', None)\n"
            "        if result is None:\n            result = next(iter(self.train))\n"
            "            self._example = result\n        return result\n")


@pytest.mark.parametrize("use,probe", [
    # the tutorial's cached example batch, read twice: the second read finds the pair the first one kept, so
    # `result is None` is decided (before, the pair was not known and neither was the condition)
    ("w = Windows(3)\nprint(w.example[0].shape)\nm = tf.keras.Sequential([layers.Flatten(), layers.Dense(32), "
     "layers.Dense(1)])\nm(w.example[0])\n",
     "model = keras.Sequential([layers.Flatten(), layers.Dense(32), layers.Dense(1)])\nmodel(np.zeros((32, 3, 19)))\n"),
    # a loop over the first element, unpacked into inputs and labels
    ("w = Windows(24)\nfor x, y in w.train.take(1):\n    m = tf.keras.Sequential([layers.LSTM(8), layers.Dense(1)])\n"
     "    m(x)\n",
     "model = keras.Sequential([layers.LSTM(8), layers.Dense(1)])\nmodel(np.zeros((32, 24, 19)))\n"),
    # the same dataset batched again after unbatching: its elements are still (inputs, labels)
    ("w = Windows(2)\nx, y = next(iter(w.train.unbatch().batch(8)))\nm = tf.keras.Sequential([layers.Dense(4)])\nm(x)\n",
     "model = keras.Sequential([layers.Dense(4)])\nmodel(np.zeros((8, 2, 19)))\n"),
], ids=["cached_example", "loop_over_take", "unbatched_and_batched"])
def test_elements_of_a_mapped_dataset_whose_labels_are_not_followed_are_pairs(use, probe):
    # TensorFlow's time series tutorial (test above): an element of `ds.map(split_window)` is (inputs, labels), the
    # labels' shape not followed; `next(iter(ds))`, a loop over `ds.take(1)` and `unbatch().batch(8)` give the pair,
    # whose inputs build the model. Keras (numpy backend) builds the same model on inputs of the tutorial's 19
    # columns: the symbolic total at 19 is its count.
    from test_catalogue_keras import COUNT_OR_RAISED, keras_probe
    from test_fixtures import evaluate_symbolic

    model = _report(_WINDOWS + use).models[-1]
    assert model.status == "symbolic", model.reasons
    assert symbol_names(model.total) == (COLS,)
    truth = keras_probe(COUNT_OR_RAISED, {"m": "import numpy as np\nimport keras\nfrom keras import layers\n" + probe})
    assert evaluate_symbolic(str(model.total), {COLS: 19}) == truth["m"]


@pytest.mark.parametrize("encoder,made", [
    ("OneHotEncoder()", "toarray"), ("OneHotEncoder(sparse=True)", "todense"),
    ("OneHotEncoder(handle_unknown='ignore')", "toarray"),
])
def test_a_sparse_one_hot_encoding_made_dense(encoder, made):
    # scikit-learn: OneHotEncoder gives a SciPy sparse matrix unless sparse_output=False (sparse=False before 1.2);
    # its toarray() (an ndarray) and todense() (an np.matrix) keep its shape: one column per category (a symbol)
    body = ("from sklearn.preprocessing import OneHotEncoder\ny = np.random.randint(0, 3, size=(40, 1))\n"
            f"enc = {encoder}\nY = enc.fit_transform(y).{made}()\n"
            "m = keras.Sequential([keras.Input((4,)), layers.Dense(Y.shape[1], activation='softmax')])\n")
    (model,) = _report(body).models
    assert model.status == "symbolic" and symbol_names(model.total) == ("enc.fit_transform(y).shape[1]",)


@pytest.mark.parametrize("encoder", ["OneHotEncoder(sparse_output=False)", "OneHotEncoder(sparse=False)"])
def test_a_dense_one_hot_encoding_has_no_toarray(encoder):
    # a dense result is an ndarray, which has no toarray(): Python raises AttributeError there
    body = ("from sklearn.preprocessing import OneHotEncoder\ny = np.random.randint(0, 3, size=(40, 1))\n"
            f"enc = {encoder}\nY = enc.fit_transform(y).toarray()\n"
            "m = keras.Sequential([keras.Input((4,)), layers.Dense(Y.shape[1], activation='softmax')])\n")
    (model,) = _report(body).models
    assert model.status == "unknown" and model.total is None


@pytest.mark.parametrize("call", ["dropna(inplace=True)", "drop_duplicates(inplace=True)",
                                  "fillna(0, inplace=True)", "sort_values('a', inplace=True)",
                                  "reset_index(drop=True, inplace=True)"])
def test_rows_changed_in_place_keep_the_columns(call):
    # pandas: these change rows or values in place and return None; the columns stay (before, the frame's width was
    # forgotten: a symbol of its own where usecols= had fixed it)
    body = (f'df = pd.read_csv("data.csv", usecols=["a", "b", "c", "d"])\nout = df.{call}\nX = df.drop("d", axis=1)\n'
            "m = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1])])\n")
    (model,) = _report(body).models
    assert _units(body) == ["3"] and model.status == "exact"


def test_rows_dropped_in_place_are_another_count():
    body = CSV + "before = len(df)\ndf.dropna(inplace=True)\nm = keras.Sequential([keras.Input((3,)), layers.Dense(len(df))])\n"
    (rows,) = _units(body)
    assert rows != 'len(pd.read_csv("data.csv"))' and not rows.isdigit()


def _frame_width(code, width):
    """``X.shape[1]`` after ``code`` on a frame of four columns read from a file: ``width``, or not a number (None)."""
    body = (f'df = pd.read_csv("data.csv", usecols=["a", "b", "c", "d"])\n{code}\n'
            "m = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1])])\n")
    units = _units(body)
    if width is None:
        assert not units[0].isdigit(), units
    else:
        assert units == [width]


@pytest.mark.parametrize("code,width", [
    # pandas: set_index moves those columns into the index (drop=True by default): a column less for each
    ('X = df.set_index("a")', "3"),
    ('X = df.set_index(["a", "b"])', "2"),
    ('df.set_index("a", inplace=True)\nX = df', "3"),
    ('X = df.set_index("a", drop=False)', None),
    # shift, diff, pct_change, cumsum keep the rows and columns (NaN where no value comes)
    ("X = df.shift(1)", "4"),
    ("X = pd.concat([df.shift(2), df.shift(1), df], axis=1)", "12"),
    ("X = df.diff().dropna()", "4"),
])
def test_frame_index_and_shifted_values(code, width):
    _frame_width(code, width)


def test_rows_of_an_array_picked_by_a_mask_of_the_frame():
    # NumPy takes a pandas series of booleans as an array of them: X[df["Class"] == 0] holds the rows of the normal
    # transactions, every column of X (hold-out 61, fraud autoencoders)
    body = CSV + ("X = df.drop(['Class'], axis=1).values\nnormal = X[df['Class'] == 0]\nfraud = X[df.Class == 1, :]\n"
                  "m = keras.Sequential([keras.Input((3,)), layers.Dense(normal.shape[1]), layers.Dense(fraud.shape[1])])\n")
    assert _units(body) == [f"{COLS} - 1"] * 2


def test_a_method_name_read_as_an_attribute_is_not_a_column():
    # pandas: df.count is the DataFrame method even where a column is named "count" (df["count"] is the column), and
    # comparing a method with a number raises TypeError: no rows are picked there
    body = CSV + "X = df[df.count > 0]\nm = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1])])\n"
    assert _units(body) != [COLS]


@pytest.mark.parametrize("code,width", [
    # pandas: a statistic of windows (rolling, expanding, ewm) or of periods (resample) has the frame's columns
    ("X = df.rolling(3).mean()", "4"),
    ("X = df.rolling(window=7).std().dropna()", "4"),
    ("X = df.ewm(span=5).mean()", "4"),
    ("X = df.expanding().max()", "4"),
    ("X = df.resample('D').sum()", "4"),
    ("X = df.resample('D', on='a').mean()", None),
    ("X = df.rolling(3).apply(np.mean)", None),
])
def test_statistics_of_windows_and_periods_keep_the_columns(code, width):
    _frame_width(code, width)


def test_a_rolling_mean_of_a_series_keeps_its_rows():
    body = ('df = pd.DataFrame(np.zeros((50, 3)), columns=["a", "b", "c"])\nma = df["a"].rolling(5).mean().values\n'
            "m = keras.Sequential([keras.Input((3,)), layers.Dense(len(ma))])\n")
    assert _units(body) == ["50"]


@pytest.mark.parametrize("expr", [
    # a join of two frames (hold-out 77: MovieLens and book-crossing notebooks merge their ratings with the items'
    # titles before encoding the ids): pandas gives the rows the keys match and the columns of both, but for the key
    # columns and with suffixes on names both have, which the source does not show
    "pd.merge(df, pd.read_csv('items.csv'), on='a')",
    "df.merge(pd.read_csv('items.csv')[['a', 'title']], on='a', how='left')",
    "df.join(pd.read_csv('items.csv'), rsuffix='_item')",
])
def test_merged_frames_have_rows_and_columns_of_their_own(expr):
    body = CSV + (f"X = {expr}\nm = keras.Sequential([keras.Input((3,)), layers.Dense(X.shape[1]), "
                  "layers.Dense(len(X)), layers.Dense(X[['a', 'b']].values.shape[1])])\n")
    width, rows, picked = _units(body)
    assert width != COLS and not width.isdigit(), width
    assert rows != 'len(pd.read_csv("data.csv"))' and not rows.isdigit(), rows
    assert picked == "2"  # (the columns picked by name, whatever else the merge made)


def test_sizes_of_columns_named_by_a_loop_are_named_after_each_column():
    # entity embeddings (hold-out 77): one embedding per categorical column, sized by its number of values; each
    # column's size is a symbol named with that column, as the same read with the name written in would be (a read
    # at another place is another symbol, as it was: `₂`)
    body = CSV + ("sizes = []\nfor col in ['store', 'item']:\n    sizes.append(df[col].nunique())\n"
                  "sizes.append(len(df[col].unique()))\nsizes.append(df['store'].nunique())\n"
                  "m = keras.Sequential([keras.Input((3,))] + [layers.Dense(s) for s in sizes])\n")
    assert _units(body) == ["df['store'].nunique()", "df['item'].nunique()", "len(df['item'].unique())",
                            "df['store'].nunique()₂"]
