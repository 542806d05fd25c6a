"""The Chinese texts of the figures and the explorer: English template -> Chinese template (same {fields})."""

FIGURES = {
    # rows_as_timesteps
    "row {row}: step {row}": "第 {row} 行：第 {row} 步",
    "28 pixels per row = 28 input features": "每行 28 个像素 = 28 个输入特征",
    "row = step": "行 = 时间步",
    # training_curves
    "each batch": "每个批量",
    "mean of {window}": "{window} 次迭代的平均",
    "iteration": "迭代",
    "cross-entropy": "交叉熵",
    "training loss (log scale)": "训练损失（对数坐标）",
    "batch, dropout on (mean of {window})": "批量，开启 dropout（{window} 次迭代的平均）",
    "logged batch, dropout off": "记录的批量，关闭 dropout",
    "accuracy": "准确率",
    "training accuracy": "训练准确率",
    # outputs_heatmap
    "unit": "隐藏单元",
    "rows read": "已读行数",
    "outputs of one image: {rows} rows read x {units} units": "一张图像的 outputs：已读 {rows} 行 × {units} 个隐藏单元",
    "output = top layer's h": "输出 = 最上层的 h",
    # unrolled_diagram
    "layer {layer}\nstep t{offset:+d}": "第 {layer} 层\n时间步 t{offset:+d}",
    "h, dropout in training": "h，训练时经过 dropout",
    "row t{offset:+d}": "第 t{offset:+d} 行",
    "blue: output (goes up: to the next layer, or out as outputs[t])   "
    "orange: state (goes right: to the same layer's next step)":
        "蓝色：输出（向上：进入下一层，或作为 outputs[t] 输出）   橙色：状态（向右：进入同一层的下一个时间步）",
    # cell_diagram
    "$c_t$ (batch, {num_hidden})\nmemory: to this\nlayer's next step":
        "$c_t$ (batch, {num_hidden})\n记忆元：进入本层\n的下一个时间步",
    "$x_t$ (batch, {input_num}): one image row": "$x_t$ (batch, {input_num})：图像的一行",
    "forget": "遗忘门",
    "input": "输入门",
    "candidate": "候选记忆元",
    "output": "输出门",
    "$h_t$ (batch, {num_hidden})\noutput: to the next\nlayer and next step":
        "$h_t$ (batch, {num_hidden})\n输出：进入下一层\n和下一个时间步",
    "one LSTM cell, per image: $x_t$ carries {input_num} numbers, every other arrow {num_hidden}":
        "一个 LSTM 单元（每张图像）：$x_t$ 含 {input_num} 个数，其余每个箭头 {num_hidden} 个",
    "each gate: $\\sigma$ or tanh of  $x_t W + h_{t-1} U + b$, with its own quarter of W, U and b":
        "每个门：$x_t W + h_{t-1} U + b$ 的 $\\sigma$ 或 tanh，各用 W、U 和 b 中属于自己的四分之一",
    # step_bars, probability_heatmap, true_class_trajectory
    "row {row}: {predicted}": "第 {row} 行：{predicted}",
    "class probabilities after each row read (true class {true_class}, green; final prediction {predicted}; "
    "a wrong prediction is red)":
        "每读一行后各类别的概率（真实类别 {true_class}，绿色；最终预测 {predicted}；预测错误为红色）",
    "class": "类别",
    "probability": "概率",
    "after each row (true class {true_class} framed)": "每读一行后（真实类别 {true_class} 加框）",
    "class {true_class} (true)": "类别 {true_class}（真实）",
    "strongest other class (its number where it changes)": "概率最高的其他类别（变化处标出其数字）",
    "when does it make up its mind?": "它何时拿定主意？",
    # decision_summary
    "rows read when the prediction settles": "预测稳定下来时的已读行数",
    "test images": "测试集图像数",
    "decision row": "决定行",
    "true class": "真实类别",
    "mean decision row": "平均决定行",
    "by class": "按类别",
    "rows read (k)": "已读行数（k）",
    "accuracy if stopped after k rows": "读 k 行后停止时的准确率",
    # StepView and the explorer (the image's title keeps image, true digit, rows read in this order;
    # the bars' title keeps step, predicted class, probability)
    "probability of the true class": "真实类别的概率",
    "{label}true {true_class}, rows read {step}": "{label}真实数字 {true_class}，已读 {step} 行",
    "step {step}: predicts {predicted} ({share:.0%})": "第 {step} 步：预测 {predicted}（{share:.0%}）",
    "#{index}: ": "#{index}：",
    "image": "图像",
    "play": "播放",
    "jump to": "跳转到",
    "misclassified: pick one": "分类错误：选一张",
    "#{index}: true {true_class}, predicted {predicted}": "#{index}：真实 {true_class}，预测 {predicted}",
    # gates_over_time
    "input gate i": "输入门 i",
    "forget gate f": "遗忘门 f",
    "candidate g": "候选记忆元 g",
    "output gate o": "输出门 o",
    "cell state c": "记忆元 c",
    "hidden state h": "隐状态 h",
    "how much of g is written into c": "g 有多少写入 c",
    "how much of the last c is kept": "上一步的 c 保留多少",
    "what could be written into c": "可能写入 c 的内容",
    "how much of tanh(c) is shown": "tanh(c) 输出多少",
    "c = f * c_before + i * g": "c = f * c_上一步 + i * g",
    "h = o * tanh(c): the output": "h = o * tanh(c)：输出",
    "{title}: {meaning}": "{title}：{meaning}",
    "unit {unit}": "隐藏单元 {unit}",
    "layer {layer}, image {image}: the gates, c and h after each row (dotted: c = ±1, which h never reaches)":
        "第 {layer} 层，图像 {image}：每读一行后的各个门、c 和 h（虚线：c = ±1，h 永远达不到）",
    # backpropagation_diagram, gradient_by_row
    "row {row}": "第 {row} 行",
    "W, b,\nloss L": "W, b,\n损失 L",
    "blue: the forward pass, h_t = tanh(x_t W + h_{t-1} U + b), one row per step   "
    "red: the gradient of L, flowing back":
        "蓝色：前向传播，h_t = tanh(x_t W + h_{t-1} U + b)，每个时间步一行   红色：L 的梯度，反向流动",
    "dL/dh_t = dL/dh_{rows} x (dh_{rows}/dh_{previous}) x ... x (dh_{{t+1}}/dh_t): "
    "{rows} - t factors, each diag(1 - h^2) U^T":
        "dL/dh_t = dL/dh_{rows} x (dh_{rows}/dh_{previous}) x ... x (dh_{{t+1}}/dh_t)："
        "共 {rows} - t 个因子，每个为 diag(1 - h^2) U^T",
    "row t": "第 t 行",
    "mean |dL/dh_t| (log scale)": "|dL/dh_t| 的平均（对数坐标）",
    "how much of the loss's gradient reaches each row's h (top layer)": "损失的梯度有多少到达每一行的 h（最上层）",
    # the figures' descriptions (figure.alt_text, the pictures' alt text in the executed edition)
    "A handwritten digit from MNIST, with its label above it: {label}.":
        "一个 MNIST 手写数字，上方标着它的标签：{label}。",
    "{count} handwritten digits from MNIST, each with its label above it: {labels}.":
        "{count} 个 MNIST 手写数字，每个上方标着它的标签：{labels}。",
    "One handwritten digit as a grid of 28 x 28 pixels, with rows {rows} marked: the network reads row t at step t, "
    "28 pixels at a time.":
        "一个手写数字，28 × 28 个像素的网格，标出了第 {rows} 行：网络在第 t 个时间步读第 t 行，每次 28 个像素。",
    "Two line charts over {iterations} training iterations: the loss of each batch on a log scale with its mean over "
    "{window} batches (left), and the batch accuracy (right), whose mean ends at {accuracy:.0%}.":
        "两张折线图，横轴是 {iterations} 次训练迭代：左图是每个批量的损失（对数坐标）及其 {window} 个批量的平均，"
        "右图是批量准确率，其平均最后为 {accuracy:.0%}。",
    "A heatmap of one image's outputs: {rows} rows read, top to bottom, by {units} units, from blue for -1 to red "
    "for +1.":
        "一张图像的 outputs 热图：从上到下是已读的 {rows} 行，横向是 {units} 个隐藏单元，蓝色为 -1，红色为 +1。",
    "A diagram of the {layers}-layer LSTM unrolled over {steps} steps: each box passes its output h up to the layer "
    "above (blue) and its state [h, c] right to its own next step (orange).":
        "{layers} 层 LSTM 沿 {steps} 个时间步展开的示意图：每个方框把输出 h 向上传给上一层（蓝色），"
        "把状态 [h, c] 向右传给本层的下一个时间步（橙色）。",
    "A diagram of one LSTM cell: the image row x ({input_num} numbers) and the previous h feed four gates; the "
    "forget gate scales the old memory c, the input gate times the candidate is added to it, and the new h is the "
    "output gate times tanh of the new c ({num_hidden} numbers each).":
        "一个 LSTM 单元的示意图：图像的一行 x（{input_num} 个数）和上一步的 h 进入四个门；遗忘门缩放旧的记忆元 c，"
        "输入门乘以候选记忆元后加到 c 上，新的 h 是输出门乘以新 c 的 tanh（各 {num_hidden} 个数）。",
    "{steps} small bar charts, one per row read, of the probabilities of the {num_classes} classes: the true class "
    "{true_class} in green, a wrong prediction in red; the final prediction is {predicted}.":
        "{steps} 张小柱状图，每读一行一张，画出 {num_classes} 个类别的概率：真实类别 {true_class} 为绿色，"
        "错误的预测为红色；最终预测是 {predicted}。",
    "A heatmap of the probability of each of the {num_classes} classes (columns) after each of the {rows} rows read "
    "(lines), darker green for higher, the true class {true_class} framed.":
        "热图：读完 {rows} 行中的每一行（纵向）后，{num_classes} 个类别（横向）各自的概率，绿色越深概率越高，"
        "真实类别 {true_class} 加了框。",
    "A line chart over the {rows} rows read: the probability of the true class {true_class} (green), which ends at "
    "{final:.2f}, and that of the strongest other class (red), which ends at {other:.2f}.":
        "折线图，横轴是已读的 {rows} 行：真实类别 {true_class} 的概率（绿色，最后为 {final:.2f}），"
        "以及最强的其他类别的概率（红色，最后为 {other:.2f}）。",
    "Three charts of the test set: a histogram of the decision rows (median {median:g}), the mean decision row of "
    "each true class, and the accuracy if the network stopped after k rows, which reaches {accuracy:.0%} after all "
    "{steps}.":
        "测试集的三张图：决定行的直方图（中位数 {median:g}），每个真实类别的平均决定行，以及网络读 k 行后就停下时的"
        "准确率，读完全部 {steps} 行时达到 {accuracy:.0%}。",
    "Six line charts over the rows read, one line per unit ({units}) of layer {layer}, image {image}: the input, "
    "forget and output gates, the candidate g, the cell state c and the output h.":
        "六张折线图，横轴是已读行数，第 {layer} 层的每个隐藏单元（{units}）一条线，图像 {image}："
        "输入门、遗忘门、输出门，候选记忆元 g，记忆元 c 和输出 h。",
    "A diagram of a plain RNN unrolled over {rows} rows: the forward pass runs from row 1 to row {rows} (blue), and "
    "the gradient of the loss flows back (red), multiplied by one factor for every row it crosses.":
        "普通 RNN 沿 {rows} 行展开的示意图：前向传播从第 1 行到第 {rows} 行（蓝色），损失的梯度反向流动（红色），"
        "每经过一行就乘上一个因子。",
    "A line chart, on a log scale, of how much of the loss's gradient reaches the h of each row, for {networks}.":
        "折线图（对数坐标）：损失的梯度有多少到达每一行的 h，比较的是 {networks}。",
}
