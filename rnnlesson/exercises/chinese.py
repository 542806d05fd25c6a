"""The Chinese texts of the exercises' feedback: English template -> Chinese template (same {fields}).

The terms are those of TERMINOLOGY.md; code (names, expressions, shapes) stays as it is in the notebooks.
"""

from rnnlesson.exercises.compare import PERCENT_HINT
from rnnlesson.exercises.notebook01 import FORGET_BIAS_SLIP

FEEDBACK = {
    # ------------------------------------------------ verdicts
    "Correct": "正确",
    "Not yet": "还不对",
    "Not answered yet": "尚未作答",
    "{verdict}: {message}": "{verdict}：{message}",
    "replace the ... after `answer =` with your answer, then run the cell.":
        "把 `answer =` 后面的 ... 换成你的答案，再运行这个单元格。",
    "got None: did your function forget to return?": "得到的是 None：你的函数是不是忘了 return？",

    # ------------------------------------------------ forms and significant figures (compare.py)
    "expected {expected}, got {got}.": "应为{expected}，但得到：{got}。",
    "expected {expected}, not {share}.": "应为{expected}，而不是{share}。",
    "the string {string}": "字符串 {string}",
    "a number too large for a float": "一个大到 float 无法表示的数",
    "a {kind} whose items do not make one array of numbers": "一个 {kind}，但其中各项拼不成一个数字数组",
    "an {name}": "一个 {name}",
    "a {name}": "一个 {name}",
    "nan or inf": "nan 或 inf",
    "a list of shape {shape}": "形状为 {shape} 的列表",
    "a tuple of shape {shape}": "形状为 {shape} 的元组",
    "a range of shape {shape}": "形状为 {shape} 的 range",
    "an array of shape {shape}": "形状为 {shape} 的数组",
    "a number": "一个数",
    "one significant figure": "一位有效数字",
    "two significant figures": "两位有效数字",
    "three significant figures": "三位有效数字",
    "four significant figures": "四位有效数字",
    "close: give {figures}": "很接近了，请给出{figures}",
    ", rounded (2.346 is 2.35, not 2.34)": "，并且要四舍五入（2.346 是 2.35，不是 2.34）",
    "; or, if yours has them ({shown} is {number!r} to Python), {hint}":
        "；或者，如果你的答案确实有这么多位（{shown} 在 Python 里就是 {number!r}），那么：{hint}",
    ".": "。",
    PERCENT_HINT: "请用小数，不要用百分数：25% 写作 0.25。",

    # ------------------------------------------------ 01.1
    "the indices of row {row}, such as a range(start, stop)": "第 {row} 行的索引，例如 range(start, stop)",
    "row {row} is the {row}th block of {width} pixels: range({start}, {stop}), the input at step {row}.":
        "第 {row} 行就是第 {row} 组（每组 {width} 个像素）：range({start}, {stop})，也就是第 {row} 个时间步的输入。",
    "that is a column (every 28th pixel): one row is 28 consecutive pixels of the flat vector.":
        "这是一列（每隔 28 个像素取一个）：一行是展平向量中连续的 28 个像素。",
    "that is row 6: rows count from 1, so row 5 starts after 4 full rows.":
        "这是第 6 行：行从 1 开始数，所以第 5 行从 4 个完整的行之后开始。",
    "one index too many: a range's end is not included (range(a, b) has b - a numbers).":
        "多了一个索引：range 不包含终点（range(a, b) 有 b - a 个数）。",
    "those are where the row starts and stops; answer with all its indices: range(start, stop).":
        "这是这一行的起点和终点；请给出它的全部索引：range(start, stop)。",
    "those are the row's first and last index; answer with all its indices: range(start, stop), which leaves out "
    "stop.":
        "这是这一行的第一个和最后一个索引；请给出它的全部索引：range(start, stop)，它不包含 stop。",
    "row {row} is one block of {width} consecutive indices; how many full rows come before it?":
        "第 {row} 行是连续的 {width} 个索引；它前面有几个完整的行？",

    # ------------------------------------------------ 01.2
    "that is the cross-entropy itself; the tutorial's reduce_mean also averages over the classes, and 9 of every "
    "10 terms it averages are zero.":
        "这是交叉熵本身；原教程的 reduce_mean 还对类别求平均，而它平均的项里每 10 个就有 9 个是零。",
    "the tutorial's loss is smaller, not larger: it averages over more terms, most of them zero.":
        "原教程的损失更小，而不是更大：它对更多的项求平均，其中大多数是零。",
    "both means divide by the batch size; the extra division is by something else: how many entries does each "
    "label row have?":
        "两种平均都除以批量大小；多出来的那次除法除的是别的数：每一行标签有多少个元素？",
    "the mean runs over batch x {classes} entries, and only one per image is non-zero, so the tutorial prints the "
    "cross-entropy / {classes}: {value}.":
        "平均是对 批量 x {classes} 个元素求的，而每张图像只有一个非零，所以原教程打印的是交叉熵 / {classes}：{value}。",
    "write the tutorial's mean as a sum divided by a count; which count is it?":
        "把原教程的平均写成“总和除以个数”；除的是哪个个数？",

    # ------------------------------------------------ 01.3
    "a whole number of parameters, like 12345": "一个表示参数个数的整数，例如 12345",
    "those are the LSTM layers; add the readout's W (num_hidden x num_classes) and b.":
        "这是 LSTM 层的参数；再加上输出层的 W（num_hidden x num_classes）和 b。",
    "the bias is not one per unit: there is one per gate value, 4 x num_hidden in each layer.":
        "偏置不是每个单元一个，而是每个门值一个：每层 4 x num_hidden 个。",
    "you left out the LSTM biases: 4 x num_hidden in each layer.": "你漏掉了 LSTM 的偏置：每层 4 x num_hidden 个。",
    "that is one gate's worth per layer; an LSTM cell has four (i, f, g, o), each with its own weights.":
        "这只是每层一个门的参数；LSTM 单元有四个（i、f、g、o），各有各的权重。",
    "you left out the recurrent kernels U, which read h from the previous row.":
        "你漏掉了循环权重矩阵 U，它读取上一行的 h。",
    "layer 2 reads layer 1's h, num_hidden numbers, not a 28-pixel row.":
        "第 2 层读的是第 1 层的 h，即 num_hidden 个数，而不是 28 个像素的一行。",
    "layer 1 reads a 28-pixel row, not num_hidden numbers.": "第 1 层读的是 28 个像素的一行，而不是 num_hidden 个数。",
    "the network has {layers} LSTM layers.": "这个网络有 {layers} 个 LSTM 层。",
    "4 x ({rows} + {n} + 1) x {n} for layer 1, 4 x ({n} + {n} + 1) x {n} for each layer above, {n} x {classes} + "
    "{classes} for W and b: {expected:,}.":
        "第 1 层 4 x ({rows} + {n} + 1) x {n}，上面每层 4 x ({n} + {n} + 1) x {n}，W 和 b 共 {n} x {classes} + "
        "{classes}：{expected:,}。",
    "per layer: the kernel (inputs x 4 units), the recurrent kernel (units x 4 units) and the bias (4 units); then "
    "W and b.":
        "每层：权重矩阵（输入数 x 4 倍单元数）、循环权重矩阵（单元数 x 4 倍单元数）和偏置（4 倍单元数）；"
        "再加上 W 和 b。",

    # ------------------------------------------------ 01.4
    "a shape, a tuple of whole numbers such as (2, 3, 4)": "一个形状，即由整数组成的元组，例如 (2, 3, 4)",
    "that is Keras' (batch, steps, units) order; the unroll's list holds one (batch, units) output per step, so "
    "steps come first.":
        "这是 Keras 的 (batch, steps, units) 顺序；展开得到的列表每个时间步存一个 (batch, units) 输出，"
        "所以时间步在前。",
    "28 rows of 28 pixels became 14 rows of 56 pixels: how many steps is that?":
        "28 行、每行 28 个像素，变成了 14 行、每行 56 个像素：这是多少个时间步？",
    "the last axis is the units of the top layer (num_hidden), not the pixels of a row.":
        "最后一个轴是顶层的单元（num_hidden），而不是一行的像素。",
    "that is one step's output; the unroll returns one per step.": "这是一个时间步的输出；展开后每个时间步返回一个。",
    "you left out the batch: each step's output has one row per image.":
        "你漏掉了批量：每个时间步的输出每张图像占一行。",
    "{steps} steps of 56 pixels, each giving a (7 images, {units} units) output.":
        "{steps} 个时间步，每步 56 个像素，每步给出一个 (7 张图像, {units} 个单元) 的输出。",
    "(steps, batch, units): work out each from the new config.": "(steps, batch, units)：从新的 config 逐个算出来。",

    # ------------------------------------------------ 01.5 and 02.4: gates
    FORGET_BIAS_SLIP:
        "那个 + 1 是 TF1 的 forget_bias=1.0，Keras 没有它：b_f 已经在 `bias` 里了（unit_forget_bias 把它初始化为 1），"
        "所以只加偏置的遗忘门那一段。",
    "one gate value per image and unit, shape {shape}": "每张图像、每个单元一个门值，形状为 {shape}",
    "that is the input gate i, the first block; Keras orders the kernel's columns i, f, c, o.":
        "这是输入门 i，第一段；Keras 的权重矩阵的列按 i、f、c、o 排列。",
    "that is the third block: TF1 split its gates i, j, f, o, but Keras stores i, f, c, o, so f is the second "
    "block.":
        "这是第三段：TF1 把门分成 i、j、f、o，而 Keras 按 i、f、c、o 存放，所以 f 是第二段。",
    "that is the output gate o, the last block; f is the second.": "这是输出门 o，最后一段；f 是第二段。",
    "a gate is a sigmoid of that sum, so that it lies between 0 and 1.": "门是这个和的 sigmoid，所以它在 0 和 1 之间。",
    "gates use the sigmoid (between 0 and 1, a share to keep); tanh is for g and c.":
        "门用 sigmoid（在 0 和 1 之间，表示保留的比例）；tanh 用于 g 和 c。",
    "add the forget gate's part of the bias.": "加上偏置中属于遗忘门的那一段。",
    "the gate also reads the previous h, through the recurrent kernel.": "门还通过循环权重矩阵读取上一步的 h。",
    "x is already in [0, 1] (mnist's images are divided by 255 once); use it as it is.":
        "x 已经在 [0, 1] 之间（mnist 的图像已经除过一次 255）；直接用它。",
    "your array is (units, batch): keep the batch first, x @ kernel, not kernel @ x.":
        "你的数组是 (units, batch)：批量要在前，x @ kernel，而不是 kernel @ x。",
    "f = sigmoid(x W_f + h_prev U_f + b_f), the second of the four blocks: it matches the Keras cell's own forget "
    "gate.":
        "f = sigmoid(x W_f + h_prev U_f + b_f)，四段中的第二段：与 Keras 单元自己的遗忘门一致。",
    "right shape, other values: f = sigmoid(x W_f + h_prev U_f + b_f) with the cell's x and h_prev above, and each "
    "weight's forget block (the order is i, f, c, o).":
        "形状对，数值不对：f = sigmoid(x W_f + h_prev U_f + b_f)，用上面这个单元的 x 和 h_prev，"
        "以及每个权重中遗忘门那一段（顺序是 i、f、c、o）。",

    # ------------------------------------------------ 01.6
    "subtract the other way round: training accuracy minus test accuracy.": "减反了：应是训练准确率减去测试准确率。",
    "the last training batch is 64 images: too noisy. Evaluate on all training images.":
        "最后一个训练批量只有 64 张图像：噪声太大。请在全部训练图像上评估。",
    "{train:.4f} on the training images against {test:.4f} on the test images: a gap of {gap}.":
        "训练图像上 {train:.4f}，测试图像上 {test:.4f}：差距为 {gap}。",
    "measure both accuracies on whole sets with dropout off, e.g. with train.evaluate.":
        "在关闭 dropout 的情况下，在完整的数据集上测量两个准确率，例如用 train.evaluate。",

    # ------------------------------------------------ 01.7
    "that is the LSTM's count: a plain RNN has one tanh, not four gates.":
        "这是 LSTM 的参数个数：普通 RNN 只有一个 tanh，没有四个门。",
    "those are the recurrent layers; add the classifier's W and b.": "这是循环层的参数；再加上分类器的 W 和 b。",
    "you left out the bias b of each layer (num_hidden numbers).": "你漏掉了每层的偏置 b（num_hidden 个数）。",
    "you left out U, the weights that read h_{t-1}: without them the network is not recurrent.":
        "你漏掉了 U，即读取 h_{t-1} 的权重：没有它们，网络就不是循环的。",
    "layer 2 reads layer 1's h, num_hidden numbers, not a row.":
        "第 2 层读的是第 1 层的 h，即 num_hidden 个数，而不是一行。",
    "({rows} + {n} + 1) x {n} for layer 1, ({n} + {n} + 1) x {n} for each layer above, {n} x {classes} + {classes} "
    "for W and b: {expected:,}; an LSTM's layers hold four times as many.":
        "第 1 层 ({rows} + {n} + 1) x {n}，上面每层 ({n} + {n} + 1) x {n}，W 和 b 共 {n} x {classes} + {classes}："
        "{expected:,}；LSTM 的各层参数是它的四倍。",
    "per layer: W (inputs x units), U (units x units) and b (units); then the classifier's W and b.":
        "每层：W（输入数 x 单元数）、U（单元数 x 单元数）和 b（单元数）；再加上分类器的 W 和 b。",

    # ------------------------------------------------ 02.1
    "an array (images, steps, units) of shape {shape}": "一个 (images, steps, units) 数组，形状为 {shape}",
    "`.T` reverses all three axes, so units come first; swap only steps and images.":
        "`.T` 把三个轴全部倒过来，于是单元排到了最前面；只交换时间步和图像。",
    "reshape keeps the numbers in memory order, so it mixes steps and images; np.transpose moves the axes.":
        "reshape 按内存顺序保留数字，所以会把时间步和图像混在一起；np.transpose 才是移动轴。",
    "that is still (steps, images, units).": "这仍然是 (steps, images, units)。",
    "that is (images, units, steps); units stay last.": "这是 (images, units, steps)；单元应留在最后。",
    "the steps are reversed: step 0 is row 1, and moving axes keeps their order.":
        "时间步顺序反了：第 0 步是第 1 行，而移动轴不会改变它们的顺序。",
    "that is the bottom layer's h; the outputs are the top layer's, traced.outputs.":
        "这是底层的 h；输出是顶层的 h，即 traced.outputs。",
    "that is c, the memory; the outputs are h, which is traced.outputs.": "这是记忆元 c；输出是 h，即 traced.outputs。",
    "np.transpose(outputs, (1, 0, 2)) swaps steps and images and leaves the units last.":
        "np.transpose(outputs, (1, 0, 2)) 交换时间步和图像，单元留在最后。",
    "right shape, other values: start from traced.outputs itself and move its axes.":
        "形状对，数值不对：直接从 traced.outputs 出发，移动它的轴。",

    # ------------------------------------------------ 02.2
    "{pairs} pairs [h, c], each array {shape}": "{pairs} 对 [h, c]，每个数组的形状为 {shape}",
    "each pair is still TF1's (c, h); Keras wants [h, c].": "每一对仍是 TF1 的 (c, h)；Keras 要的是 [h, c]。",
    "the layers are reversed: the first pair is the bottom layer, as in TF1.":
        "层的顺序反了：和 TF1 一样，第一对是底层。",
    "that is only the top layer; the state holds one [h, c] for every layer.":
        "这只是顶层；状态为每一层各存一个 [h, c]。",
    "nest it: one [h, c] list per layer, not one flat list.": "要嵌套：每层一个 [h, c] 列表，而不是一个平铺的列表。",
    "that is the state after row 27; tf1_state is the final one, after the last row.":
        "这是第 27 行之后的状态；tf1_state 是最终状态，即最后一行之后的。",
    "those are zeros, the state before row 1; tf1_state is the final one.":
        "这些是零，即第 1 行之前的状态；tf1_state 是最终状态。",
    "each pair holds h twice; the second array is c.": "每一对里放了两次 h；第二个数组是 c。",
    "each pair holds c twice; the first array is h.": "每一对里放了两次 c；第一个数组是 h。",
    "one [h, c] per layer, bottom layer first, as Keras' cells take and return it.":
        "每层一个 [h, c]，底层在前，正是 Keras 的单元接收和返回它的方式。",
    "right structure, other arrays: each pair is the h and c of tf1_state's pair for the same layer.":
        "结构对，数组不对：每一对是 tf1_state 中同一层那一对的 h 和 c。",

    # ------------------------------------------------ 02.3
    "two whole numbers, (unit, row)": "两个整数，(unit, row)",
    "unit {unit} reaches |c| = {c:.2f} after row {row}; c has no bound, while h = o * tanh(c) stays inside (-1, 1).":
        "单元 {unit} 在第 {row} 行之后达到 |c| = {c:.2f}；c 没有上下界，而 h = o * tanh(c) 始终在 (-1, 1) 之内。",
    "rows count from 1: step index 0 is row 1.": "行从 1 开始数：时间步索引 0 是第 1 行。",
    "that is in the bottom layer; take the top layer, layers index -1.": "这是底层的；要取顶层，即层索引 -1。",
    "that is the largest c; a large negative c is a big memory too: take the largest |c|.":
        "这是最大的 c；绝对值大的负 c 也是很强的记忆：取最大的 |c|。",
    "that is over all five images; take image 0 only.": "这是在全部五张图像上找的；只取图像 0。",
    "right unit; at which row is its |c| largest?": "单元对了；它的 |c| 在哪一行最大？",
    "look for the largest |c| over rows and units of traced.c[:, -1, 0].":
        "在 traced.c[:, -1, 0] 的所有行和单元中找最大的 |c|。",

    # ------------------------------------------------ 02.4
    "an array (rows, units) of shape {shape}": "一个 (rows, units) 数组，形状为 {shape}",
    "row t's gates read h from row t - 1 (zeros before row 1), not the h they help to make.":
        "第 t 行的门读取第 t - 1 行的 h（第 1 行之前为零），而不是它们参与生成的那个 h。",
    "that shifts h the wrong way: row t reads the h after row t - 1, so the zeros go first.":
        "h 移错了方向：第 t 行读取第 t - 1 行之后的 h，所以零放在最前面。",
    "the gate also reads the top layer's own previous h, through the recurrent kernel.":
        "门还通过循环权重矩阵读取顶层自己上一步的 h。",
    "that is the input gate i; f is the second block of the kernel's columns (i, f, c, o).":
        "这是输入门 i；f 是权重矩阵各列中的第二段（i、f、c、o）。",
    "the third block is the candidate g in Keras (TF1's order was i, j, f, o); f is the second.":
        "在 Keras 中第三段是候选记忆元 g（TF1 的顺序是 i、j、f、o）；f 是第二段。",
    "those are the bottom layer's forget gates; the top layer reads the bottom layer's h, with its own weights.":
        "这是底层的遗忘门；顶层用它自己的权重读取底层的 h。",
    "those are image 1's forget gates; take image 0's, index 0 of the images axis.":
        "这是图像 1 的遗忘门；要取图像 0 的，即图像轴上的索引 0。",
    "apply the sigmoid: a gate lies between 0 and 1.": "要套上 sigmoid：门的值在 0 和 1 之间。",
    "add the bias's forget block.": "加上偏置的遗忘门那一段。",
    "rows first please: (28 rows, units), not (units, 28).": "请把行放在前面：(28 行, units)，而不是 (units, 28)。",
    "sigmoid(h_below W_f + h_previous U_f + b_f) at every row: the same numbers as the cell's own forget gate.":
        "每一行都是 sigmoid(h_below W_f + h_previous U_f + b_f)：与单元自己的遗忘门数值相同。",
    "right shape, other values: at row t the top layer reads layer 1's h at row t and its own h at row t - 1, "
    "through the forget block of each weight.":
        "形状对，数值不对：在第 t 行，顶层读取第 1 层在第 t 行的 h 和它自己在第 t - 1 行的 h，"
        "各自经过权重中遗忘门那一段。",

    # ------------------------------------------------ 02.5
    "rows 15 to 28 are indices 14 to 27: row 14's forget gate helped to make c after row 14; it does not act on it.":
        "第 15 到 28 行是索引 14 到 27：第 14 行的遗忘门参与生成了第 14 行之后的 c，并不作用于它。",
    "include row 28's forget gate: rows 15 to 28 are indices 14 to 27, f[14:28].":
        "要包括第 28 行的遗忘门：第 15 到 28 行是索引 14 到 27，即 f[14:28]。",
    "rows 15 to 28 are indices 14 to 27, f[14:28].": "第 15 到 28 行是索引 14 到 27，即 f[14:28]。",
    "each row multiplies the old c by f, so what is left is a product, not a mean.":
        "每一行都把旧的 c 乘以 f，所以剩下的是乘积，而不是平均值。",
    "c after row 28 over c after row 14 also counts what the input gate added since; what is left of the old c "
    "depends on the forget gates alone.":
        "用第 28 行之后的 c 除以第 14 行之后的 c，会把输入门此后加进来的部分也算进去；旧的 c 还剩多少只取决于遗忘门。",
    "{kept}: c after row 14 is multiplied by f at each of rows 15 to 28, so {percent}% of it is still in unit "
    "{unit}'s c after row 28.":
        "{kept}：第 14 行之后的 c 在第 15 到 28 行每行都乘以 f，所以第 28 行之后，单元 {unit} 的 c 里仍保留着它的 "
        "{percent}%。",
    "c_t = f_t * c_(t-1) + i_t * g_t: follow the old c through rows 15 to 28.":
        "c_t = f_t * c_(t-1) + i_t * g_t：跟踪旧的 c 经过第 15 到 28 行。",

    # ------------------------------------------------ 02.6
    "that is the forget gate's value f; the bias is the sigmoid's input, log(f / (1 - f)).":
        "这是遗忘门的值 f；偏置是 sigmoid 的输入，即 log(f / (1 - f))。",
    "a bias of 0 gives f = 0.5, which keeps half after one blank row, not after all of them.":
        "偏置为 0 时 f = 0.5，只在一个空白行之后保留一半，而不是在所有空白行之后。",
    "mind the sign: a negative bias makes f smaller than 0.5.": "注意符号：负的偏置会让 f 小于 0.5。",
    "1 - 0.5 / K is a straight-line guess; what is left after K rows is f ** K, so solve f ** K = 0.5.":
        "1 - 0.5 / K 是线性的猜测；K 行之后剩下的是 f ** K，所以要解 f ** K = 0.5。",
    "f = 0.5 ** (1 / {rows}) = {kept:.4f} keeps half after {rows} blank rows; its bias is log(f / (1 - f)) = "
    "{bias}, against Keras' start of 1, which keeps {start:.1e}.":
        "f = 0.5 ** (1 / {rows}) = {kept:.4f} 在 {rows} 个空白行之后保留一半；它的偏置是 log(f / (1 - f)) = {bias}，"
        "而 Keras 的初始值 1 只保留 {start:.1e}。",
    "find f with f ** K = 0.5, then the z with sigmoid(z) = f.":
        "先求满足 f ** K = 0.5 的 f，再求满足 sigmoid(z) = f 的 z。",

    # ------------------------------------------------ 03.1
    "this network never reaches 50% on the test digits; train it longer first.":
        "这个网络在测试数字上从未达到 50%；先把它多训练一会儿。",
    "a whole number of rows read, from 1 to 28": "一个表示已读行数的整数，从 1 到 28",
    "an accuracy": "一个准确率",
    "that is the last row below 50%; the question asks for the first at or above.":
        "这是最后一个低于 50% 的行；题目问的是第一个达到或超过 50% 的行。",
    "one row too late: accuracy_after[k - 1] is the accuracy after k rows.":
        "晚了一行：accuracy_after[k - 1] 是读完 k 行之后的准确率。",
    "rows count from 1: accuracy_after[0] is the accuracy after row 1.":
        "行从 1 开始数：accuracy_after[0] 是读完第 1 行之后的准确率。",
    "that is the median decision row: by then half the images have settled, on a right or a wrong answer. The "
    "question asks when half of them are right.":
        "这是决定行的中位数：到那时一半的图像已经定下答案，无论对错。题目问的是什么时候有一半的图像答对。",
    "after {rows} rows {a:.1%} are right, after {before} only {b:.1%}.":
        "读完 {rows} 行后 {a:.1%} 正确，读完 {before} 行后只有 {b:.1%}。",
    "already after row 1, {a:.1%} are right.": "读完第 1 行就已有 {a:.1%} 正确。",
    "find the first k with accuracy_after[k - 1] >= 0.5.": "找出第一个满足 accuracy_after[k - 1] >= 0.5 的 k。",

    # ------------------------------------------------ 03.2
    "that is after {rows} rows: the accuracy after k rows is at index k - 1.":
        "这是读完 {rows} 行之后的：读完 k 行之后的准确率在索引 k - 1 处。",
    "that is all classes; take only the images of {digit}s.": "这是所有类别的；只取数字 {digit} 的图像。",
    "that is the share right among the images predicted to be {digit}; the question asks among the images that "
    "are {digit}s.":
        "这是被预测为 {digit} 的图像中答对的比例；题目问的是真实数字为 {digit} 的图像。",
    "{share} of the {count} test {digit}s are predicted {digit} after {rows} rows, against {overall} over all "
    "classes.":
        "在 {count} 张数字为 {digit} 的测试图像中，读完 {rows} 行后有 {share} 被预测为 {digit}，"
        "而所有类别合计为 {overall}。",
    "among the test images that are {digit}s, the share predicted {digit} after {rows} rows.":
        "在数字为 {digit} 的测试图像中，读完 {rows} 行后被预测为 {digit} 的比例。",

    # ------------------------------------------------ 03.3
    "a whole number of test images": "一个表示测试图像张数的整数",
    "a share": "一个比例",
    "that counts the images with ink in their first {rows} rows; the others are the ones that look blank to the "
    "network.":
        "这数的是前 {rows} 行有笔迹的图像；其余的才是在网络看来一片空白的图像。",
    "that is after {rows} rows: test_probabilities[:, k - 1] is after k rows.":
        "这是读完 {rows} 行之后的：test_probabilities[:, k - 1] 是读完 k 行之后的。",
    "not all of them: some digits reach into the first {rows} rows.": "不是全部：有些数字伸进了前 {rows} 行。",
    "{count} test images have no ink in rows 1 to {rows}: identical inputs from the same zero state give the same "
    "h, c and probabilities, whatever digit comes later.":
        "有 {count} 张测试图像在第 1 到 {rows} 行没有笔迹：从同一个零状态出发、输入相同，得到的 h、c 和概率也相同，"
        "不管后面是什么数字。",
    "compare each image's probabilities after {rows} rows with the blank image's (np.all over the classes), or "
    "look for ink in the pixels.":
        "把每张图像读完 {rows} 行后的概率与空白图像的比较（对各类别用 np.all），或者在像素中找笔迹。",

    # ------------------------------------------------ 03.4
    "the index of one test image, from 0 to {last}": "一张测试图像的索引，从 0 到 {last}",
    "test image {index}, a {digit}, is right only from row {latest} on, the latest of the {count} images the "
    "network gets right.":
        "测试图像 {index}（数字 {digit}）从第 {latest} 行起才答对，是网络答对的 {count} 张图像中最晚的。",
    "that is a position among the correctly classified images, not a test image index: map it back with "
    "np.flatnonzero(...).":
        "这是在分类正确的图像中的位置，而不是测试图像的索引：用 np.flatnonzero(...) 换算回去。",
    "the network gets image {index} wrong (it says {digit}); choose among the images it gets right.":
        "网络把图像 {index} 分错了（它说是 {digit}）；请在它答对的图像中选。",
    "image {index} settles after row {row}; a correctly classified image settles later. Use decisions, restricted "
    "to the right answers.":
        "图像 {index} 在第 {row} 行之后定下答案；有分类正确的图像定得更晚。用 decisions，并只看答对的图像。",

    # ------------------------------------------------ 03.5
    "that is the accuracy read top-down: the rows are axis 1 of (images, rows, pixels); reverse that one.":
        "这是从上往下读的准确率：行是 (images, rows, pixels) 的轴 1；要倒转的是它。",
    "reversing axis 0 only reorders the images (and the answers no longer line up with their digits); reverse the "
    "rows, axis 1.":
        "倒转轴 0 只是打乱图像的顺序（答案也就对不上各自的数字了）；要倒转行，即轴 1。",
    "that mirrors each row left to right (axis 2); bottom-up reverses the rows, axis 1.":
        "这是把每一行左右翻转（轴 2）；从下往上读是倒转行，即轴 1。",
    "{bottom_up} read bottom-up against {top_down} top-down: the network learned the rows in their order, not as "
    "a set.":
        "从下往上读 {bottom_up}，从上往下读 {top_down}：网络学到的是行的先后顺序，而不是把它们当作一个集合。",
    "reverse the rows of every image (axis 1), scale to [0, 1], flatten, and score the network's answers after the "
    "last row.":
        "把每张图像的行倒过来（轴 1），缩放到 [0, 1]，展平，再给网络读完最后一行后的答案打分。",
}
