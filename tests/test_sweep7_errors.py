"""Session 6 compatibility sweep of errors (DESIGN.md section 7): bad input, written the way
PyTorch users hit it, must raise PyTorch's exception type with PyTorch's key words, and leave
the objects involved unchanged. Each program runs with real PyTorch (the oracle) and with
minitorch (tests/sweep_harness.py)."""

from __future__ import annotations

from sweep_harness import Sweep

SWEEP = Sweep()
program = SWEEP.program
error = SWEEP.error


test_program_matches_pytorch = SWEEP.test()


def _linear(torch):
    torch.manual_seed(0)
    return torch.nn.Linear(2, 2)


# ---- matrix products ------------------------------------------------------------------------
@error(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)")
def matmul_inner_mismatch(torch):
    return torch.ones(2, 3) @ torch.ones(4, 5)


@error(RuntimeError, r"inconsistent tensor size, expected tensor \[3\] and src \[4\]")
def matmul_vectors_mismatch(torch):
    return torch.ones(3) @ torch.ones(4)


@error(RuntimeError, r"inconsistent tensor size, expected tensor \[3\] and src \[4\]")
def dot_mismatch(torch):
    return torch.dot(torch.ones(3), torch.ones(4))


@error(RuntimeError, r"1D tensors expected, but got 2D and 2D tensors")
def dot_matrices(torch):
    return torch.dot(torch.ones(3, 1), torch.ones(3, 1))


@error(RuntimeError, r"expected both vectors to have same dtype, but found Float and Double")
def dot_dtypes(torch):
    return torch.dot(torch.ones(3), torch.ones(3, dtype=torch.float64))


@error(RuntimeError, r"size mismatch, got input \(2\), mat \(2x3\), vec \(4\)")
def mv_mismatch(torch):
    return torch.mv(torch.ones(2, 3), torch.ones(4))


@error(RuntimeError, r"size mismatch, got input \(4\), mat \(4x3\), vec \(4\)")
def matmul_batch_vector_mismatch(torch):
    return torch.ones(2, 2, 3) @ torch.ones(4)


@error(RuntimeError, r"vector \+ matrix @ vector expected, got 1, 2, 2")
def mv_column_vector(torch):
    return torch.mv(torch.ones(2, 3), torch.ones(3, 1))


@error(RuntimeError, r"batch1 must be a 3D tensor")
def bmm_matrix(torch):
    return torch.bmm(torch.ones(2, 3), torch.ones(3, 4))


@error(RuntimeError, r"batch2 must be a 3D tensor")
def bmm_matrix_second(torch):
    return torch.bmm(torch.ones(2, 3, 4), torch.ones(2, 3))


@error(RuntimeError, r"Expected size for first two dimensions of batch2 tensor to be: \[2, 4\]")
def bmm_batch_mismatch(torch):
    return torch.bmm(torch.ones(2, 3, 4), torch.ones(3, 4, 5))


@error(RuntimeError, r"both arguments to matmul need to be at least 1D, but they are 0D and 1D")
def matmul_scalar(torch):
    return torch.matmul(torch.tensor(1.0), torch.ones(3))


@error(RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(2x5 and 3x4\)")
def linear_in_features(torch):
    return torch.nn.Linear(3, 4)(torch.ones(2, 5))


@error(RuntimeError, r"mat1 and mat2 must have the same dtype")
def linear_double_input(torch):
    return torch.nn.Linear(3, 4)(torch.ones(2, 3, dtype=torch.float64))


@error(RuntimeError, r"The size of tensor a \(3\) must match the size of tensor b \(4\)")
def add_broadcast(torch):
    return torch.ones(3) + torch.ones(4)


# ---- convolution and pooling ---------------------------------------------------------------
@error(RuntimeError, r"expected input\[1, 2, 5, 5\] to have 3 channels, but got 2 channels")
def conv2d_channels(torch):
    return torch.nn.Conv2d(3, 4, 3)(torch.ones(1, 2, 5, 5))


@error(RuntimeError, r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d")
def conv2d_matrix_input(torch):
    return torch.nn.Conv2d(3, 4, 3)(torch.ones(5, 5))


@error(RuntimeError, r"Kernel size can't be greater than actual input size")
def conv2d_kernel_too_big(torch):
    return torch.nn.Conv2d(3, 4, 5)(torch.ones(1, 3, 3, 3))


@error(RuntimeError, r"non-positive stride is not supported")
def conv2d_zero_stride(torch):
    return torch.nn.functional.conv2d(torch.ones(1, 1, 5, 5), torch.ones(1, 1, 3, 3), stride=0)


@error(RuntimeError, r"dilation should be greater than zero")
def conv1d_zero_dilation(torch):
    return torch.nn.functional.conv1d(torch.ones(1, 1, 5), torch.ones(1, 1, 3), dilation=0)


@error(ValueError, r"in_channels must be divisible by groups")
def conv2d_groups(torch):
    return torch.nn.Conv2d(3, 4, 3, groups=2)


@error(ValueError, r"padding='same' is not supported for strided convolutions")
def conv2d_same_strided(torch):
    return torch.nn.Conv2d(3, 4, 3, padding="same", stride=2)


@error(RuntimeError, r"pad should be at most half of effective kernel size")
def max_pool_padding(torch):
    return torch.nn.functional.max_pool2d(torch.ones(1, 1, 8, 8), 3, padding=2)


# ---- embedding and indexing ----------------------------------------------------------------
@error(IndexError, r"index out of range in self")
def embedding_index_too_big(torch):
    return torch.nn.Embedding(5, 3)(torch.tensor([1, 5]))


@error(IndexError, r"index out of range in self")
def embedding_negative_index(torch):
    return torch.nn.Embedding(5, 3)(torch.tensor([-1]))


@error(RuntimeError, r"'indices' to have one of the following scalar types: Long, Int")
def embedding_float_indices(torch):
    return torch.nn.Embedding(5, 3)(torch.tensor([1.0]))


@error(IndexError, r"index out of range in self")
def index_select_out_of_range(torch):
    return torch.ones(2, 3).index_select(0, torch.tensor([2]))


@error(IndexError, r"index 2 is out of bounds for dimension 0 with size 2")
def index_row_out_of_range(torch):
    return torch.ones(2, 3)[2]


@error(IndexError, r"tensors used as indices must be long, int, byte or bool tensors")
def index_with_floats(torch):
    return torch.ones(2, 3)[torch.tensor([0.0])]


@error(RuntimeError, r"index 3 is out of bounds for dimension 1 with size 3")
def gather_out_of_range(torch):
    return torch.ones(2, 3).gather(1, torch.tensor([[0, 3], [1, 1]]))


@error(RuntimeError, r"Index tensor must have the same number of dimensions as input tensor")
def gather_index_rank(torch):
    return torch.ones(2, 3).gather(1, torch.tensor([0, 1]))


@error(RuntimeError, r"scatter\(\): Expected self.dtype to be equal to src.dtype")
def scatter_src_dtype(torch):
    src = torch.ones(1, 2, dtype=torch.float64)
    return torch.zeros(2, 3).scatter(1, torch.tensor([[0, 1]]), src)


@error(RuntimeError, r"masked_fill_ only supports boolean masks, but got mask with dtype long int")
def masked_fill_long_mask(torch):
    return torch.ones(2, 3).masked_fill(torch.ones(2, 3, dtype=torch.long), 0.0)


@error(RuntimeError, r"where expected condition to be a boolean tensor")
def where_float_condition(torch):
    return torch.where(torch.ones(3), torch.ones(3), torch.zeros(3))


# ---- shapes ---------------------------------------------------------------------------------
@error(RuntimeError, r"Tensors must have same number of dimensions: got 2 and 1")
def cat_ranks(torch):
    return torch.cat([torch.ones(2, 3), torch.ones(3)])


@error(RuntimeError, r"stack expects each tensor to be equal size")
def stack_shapes(torch):
    return torch.stack([torch.ones(2, 3), torch.ones(2, 4)])


@error(RuntimeError, r"split_with_sizes expects split_sizes to sum exactly to 5")
def split_sizes(torch):
    return torch.ones(5).split([2, 2])


@error(RuntimeError, r"shape '\[2, 5\]' is invalid for input of size 6")
def view_bad_size(torch):
    return torch.ones(6).view(2, 5)


@error(RuntimeError, r"view size is not compatible with input tensor's size and stride")
def view_transposed(torch):
    return torch.ones(2, 3).t().view(6)


@error(RuntimeError, r"The expanded size of the tensor \(4\) must match the existing size \(2\)")
def expand_bad(torch):
    return torch.ones(2, 3).expand(4, 3)


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)")
def transpose_dim(torch):
    return torch.ones(2, 3).transpose(0, 2)


@error(IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)")
def softmax_dim(torch):
    return torch.softmax(torch.ones(2, 3), dim=2)


# ---- losses ---------------------------------------------------------------------------------
@error(IndexError, r"Target 5 is out of bounds")
def cross_entropy_class_out_of_range(torch):
    return torch.nn.functional.cross_entropy(torch.randn(3, 5), torch.tensor([1, 5, 0]))


@error(ValueError, r"Expected input batch_size \(3\) to match target batch_size \(2\)")
def cross_entropy_batch(torch):
    return torch.nn.functional.cross_entropy(torch.randn(3, 5), torch.tensor([1, 2]))


@error(RuntimeError, r"weight tensor should be defined either for all 5 classes or no classes")
def cross_entropy_weight_length(torch):
    target = torch.tensor([1, 2, 0])
    return torch.nn.functional.cross_entropy(torch.randn(3, 5), target, weight=torch.ones(4))


@error(ValueError, r"avg is not a valid value for reduction")
def cross_entropy_reduction(torch):
    return torch.nn.CrossEntropyLoss(reduction="avg")(torch.randn(3, 5), torch.tensor([1, 2, 0]))


@error(RuntimeError, r"all elements of input should be between 0 and 1")
def bce_input_range(torch):
    return torch.nn.functional.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.0]))


@error(RuntimeError, r"Class values must be non-negative")
def one_hot_negative(torch):
    return torch.nn.functional.one_hot(torch.tensor([1, -1]))


@error(RuntimeError, r"Class values must be smaller than num_classes")
def one_hot_too_few_classes(torch):
    return torch.nn.functional.one_hot(torch.tensor([1, 4]), num_classes=3)


# ---- normalization, recurrent and attention layers -----------------------------------------
@error(RuntimeError, r"running_mean should contain 5 elements not 4")
def batch_norm_channels(torch):
    return torch.nn.BatchNorm1d(4)(torch.randn(3, 5))


@error(ValueError, r"Expected more than 1 value per channel when training")
def batch_norm_single_value(torch):
    return torch.nn.BatchNorm1d(4)(torch.randn(1, 4))


@error(RuntimeError, r"Given normalized_shape=\[4\], expected input with shape \[\*, 4\]")
def layer_norm_shape(torch):
    return torch.nn.LayerNorm(4)(torch.randn(3, 5))


@error(RuntimeError, r"input.size\(-1\) must be equal to input_size. Expected 4, got 6")
def lstm_input_size(torch):
    return torch.nn.LSTM(4, 5)(torch.randn(3, 2, 6))


@error(RuntimeError, r"Expected hidden size \(1, 2, 5\), got \[1, 3, 5\]")
def gru_hidden_shape(torch):
    return torch.nn.GRU(4, 5)(torch.randn(3, 2, 4), torch.randn(1, 3, 5))


@error(AssertionError, r"embed_dim must be divisible by num_heads")
def attention_heads(torch):
    return torch.nn.MultiheadAttention(10, 3)


@error(RuntimeError, r"The shape of the 2D attn_mask is torch.Size\(\[4, 4\]\), but should be")
def attention_mask_shape(torch):
    m = torch.nn.MultiheadAttention(8, 2)
    x = torch.randn(3, 2, 8)
    return m(x, x, x, attn_mask=torch.zeros(4, 4))


# ---- optimizers, schedulers, data loading --------------------------------------------------
@error(ValueError, r"Invalid learning rate: -1")
def sgd_negative_lr(torch):
    return torch.optim.SGD(_linear(torch).parameters(), lr=-1)


@error(ValueError, r"Invalid beta parameter at index 0: 1.0")
def adam_beta(torch):
    return torch.optim.Adam(_linear(torch).parameters(), betas=(1.0, 0.9))


@error(TypeError, r"params argument given to the optimizer should be an iterable of Tensors")
def optimizer_given_a_tensor(torch):
    return torch.optim.SGD(torch.ones(2, requires_grad=True), lr=0.1)


@error(ValueError, r"can't optimize a non-leaf Tensor")
def optimizer_non_leaf(torch):
    return torch.optim.SGD([torch.ones(2, requires_grad=True) * 2], lr=0.1)


@error(ValueError, r"some parameters appear in more than one parameter group")
def optimizer_parameter_in_two_groups(torch):
    w = torch.nn.Parameter(torch.ones(2))
    return torch.optim.SGD([{"params": [w]}, {"params": [w]}], lr=0.1)


@program
def optimizer_accepts_a_set(torch):
    w = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD({w}, lr=0.1)
    w.grad = torch.ones(2)
    opt.step()
    return w


@error(TypeError, r"optimizer parameters need to be organized in ordered collections")
def add_param_group_set(torch):
    opt = torch.optim.SGD(_linear(torch).parameters(), lr=0.1)
    opt.add_param_group({"params": {torch.nn.Parameter(torch.ones(2))}})


@program
def failed_optimizer_load_keeps_state(torch):
    m = _linear(torch)
    opt = torch.optim.Adam(m.parameters(), lr=0.1)
    m(torch.ones(1, 2)).sum().backward()
    opt.step()
    try:
        opt.load_state_dict({"state": {}, "param_groups": []})
    except ValueError as e:
        message = "different number of parameter groups" in str(e)
    return message, opt.state_dict()["state"][0]["exp_avg"], opt.param_groups[0]["lr"]


@error(TypeError, r"Linear is not an Optimizer")
def scheduler_given_a_module(torch):
    return torch.optim.lr_scheduler.StepLR(_linear(torch), 2)


@error(ValueError, r"Tried to step 3 times. The specified number of total steps is 2")
def one_cycle_overrun(torch):
    opt = torch.optim.SGD(_linear(torch).parameters(), lr=0.1)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 1.0, total_steps=2)
    for _ in range(3):
        opt.step()
        sched.step()


@error(ValueError, r"batch_sampler option is mutually exclusive with batch_size")
def loader_batch_size_and_sampler(torch):
    data = torch.utils.data.TensorDataset(torch.arange(10))
    sampler = torch.utils.data.BatchSampler(range(10), 2, False)
    return torch.utils.data.DataLoader(data, batch_size=3, batch_sampler=sampler)


@error(ValueError, r"sampler option is mutually exclusive with shuffle")
def loader_shuffle_and_sampler(torch):
    data = torch.utils.data.TensorDataset(torch.arange(10))
    sampler = torch.utils.data.SequentialSampler(data)
    return torch.utils.data.DataLoader(data, shuffle=True, sampler=sampler)


@error(ValueError, r"num_workers option should be non-negative")
def loader_negative_workers(torch):
    data = torch.utils.data.TensorDataset(torch.arange(10))
    return torch.utils.data.DataLoader(data, num_workers=-1)


# ---- Module API -----------------------------------------------------------------------------
@program
def failed_load_state_dict_keeps_parameters(torch):
    m = _linear(torch)
    before = [p.clone() for p in m.parameters()]
    try:
        m.load_state_dict({"weight": torch.zeros(3, 2), "bias": torch.zeros(2)})
    except RuntimeError as e:
        message = str(e).replace("minitorch", "torch")
    keys = "size mismatch for weight: copying a param with shape torch.Size([3, 2])" in message
    return keys, before, list(m.parameters())


@error(RuntimeError, r'Missing key\(s\) in state_dict: "bias"')
def load_state_dict_missing(torch):
    m = _linear(torch)
    state = m.state_dict()
    del state["bias"]
    m.load_state_dict(state)


@error(KeyError, r"attribute 'weight' already exists")
def register_buffer_clash(torch):
    _linear(torch).register_buffer("weight", torch.ones(2))


@error(KeyError, r"module name can.{1,2}t contain")
def add_module_dotted_name(torch):
    _linear(torch).add_module("a.b", torch.nn.ReLU())


@error(TypeError, r"cannot assign 'torch.FloatTensor' as parameter 'weight'")
def assign_tensor_over_parameter(torch):
    m = _linear(torch)
    m.weight = torch.ones(2, 2)


# ---- autograd -------------------------------------------------------------------------------
@error(RuntimeError, r"grad can be implicitly created only for scalar outputs")
def backward_non_scalar(torch):
    x = torch.ones(3, requires_grad=True)
    (x * 2).backward()


@error(RuntimeError, r"element 0 of tensors does not require grad and does not have a grad_fn")
def backward_without_grad(torch):
    torch.ones(3).sum().backward()


@error(RuntimeError, r"Trying to backward through the graph a second time")
def second_backward(torch):
    x = torch.ones(3, requires_grad=True)
    y = x.exp().sum()
    y.backward()
    y.backward()


@error(RuntimeError, r"a leaf Variable that requires grad is being used in an in-place operation")
def leaf_in_place(torch):
    torch.ones(3, requires_grad=True).add_(1)


@error(RuntimeError, r"modified by an inplace operation")
def saved_output_modified(torch):
    x = torch.ones(3, requires_grad=True)
    y = x.exp()
    z = y.sum() * y.sum()
    y.mul_(2)
    z.backward()


@error(RuntimeError, r"Function 'SqrtBackward0' returned nan values in its 0th output")
def anomaly_detection(torch):
    x = torch.tensor([0.0], requires_grad=True)
    with torch.autograd.detect_anomaly():
        (x.sqrt() * 0).sum().backward()


# ---- tensor creation ------------------------------------------------------------------------
@error(RuntimeError, r"Trying to create tensor with negative dimension -1: \[-1, 3\]")
def ones_negative_size(torch):
    return torch.ones(-1, 3)


@error(RuntimeError, r"Trying to create tensor with negative dimension -1: \[-1\]")
def randperm_negative(torch):
    return torch.randperm(-1)


@error(RuntimeError, r"normal expects all elements of std >= 0.0")
def normal_negative_std_tensor(torch):
    return torch.normal(0.0, torch.tensor([1.0, -1.0]))


@error(RuntimeError, r"normal expects std >= 0.0, but found std -1")
def normal_negative_std(torch):
    return torch.normal(0.0, -1.0, (2,))


@error(RuntimeError, r"Could not infer dtype of NoneType")
def tensor_with_none(torch):
    return torch.tensor([1, None])


@error(RuntimeError, r"step must be nonzero")
def arange_zero_step(torch):
    return torch.arange(0, 5, 0)


@error(RuntimeError, r"a Tensor with 2 elements cannot be converted to Scalar")
def item_of_many(torch):
    return torch.ones(2).item()


# ---- dtype names in messages as PyTorch prints them ("float", "Float", "long int") ----------
@error(RuntimeError, r"expected m1 and m2 to have the same dtype, but got: float != double")
def matmul_dtype_mismatch(torch):
    return torch.ones(2, 2) @ torch.ones(2, 2, dtype=torch.float64)


@error(RuntimeError, r"expected m1 and m2 to have the same dtype, but got: double != float")
def linear_without_bias_dtype_mismatch(torch):
    return torch.nn.functional.linear(torch.ones(4, 2, dtype=torch.float64), torch.ones(5, 2))


@error(RuntimeError, r"mat1 and mat2 must have the same dtype, but got Double and Float")
def linear_layer_dtype_mismatch(torch):
    return torch.nn.Linear(2, 5)(torch.ones(4, 2, dtype=torch.float64))


@error(RuntimeError, r"self and mat2 must have the same dtype, but got Double and Float")
def linear_bias_dtype_mismatch(torch):
    bias = torch.ones(5, dtype=torch.float64)
    return torch.nn.functional.linear(torch.ones(4, 2), torch.ones(5, 2), bias)


@error(RuntimeError, r"expected target dtype to be Long or Byte, but got Int")
def cross_entropy_int32_target(torch):
    return torch.nn.functional.cross_entropy(torch.ones(3, 4), torch.tensor([1, 2, 3], dtype=torch.int32))  # fmt: skip


@error(RuntimeError, r"expected target dtype to be Long or Byte, but got Float")
def cross_entropy_float_class_targets(torch):  # not the input's shape: class indices
    return torch.nn.functional.cross_entropy(torch.ones(3, 4), torch.tensor([1.0, 2.0, 3.0]))


@error(RuntimeError, r"0D or 1D target tensor expected, multi-target not supported")
def cross_entropy_float_target_of_another_shape(torch):
    return torch.nn.functional.cross_entropy(torch.ones(3, 4), torch.rand(3, 5))


@error(ValueError, r"Expected input batch_size \(3\) to match target batch_size \(4\)")
def cross_entropy_float_target_other_batch(torch):
    return torch.nn.functional.cross_entropy(torch.ones(3, 4), torch.rand(4, 4))


@error(RuntimeError, r"Found dtype Long but expected Float")
def bce_integer_target(torch):
    return torch.nn.functional.binary_cross_entropy(torch.rand(3), torch.tensor([1, 0, 1]))


# ---- indexing, cat and requires_grad_ in PyTorch's words -------------------------------------
@error(IndexError, r"too many indices for tensor of dimension 2")
def too_many_indices(torch):
    return torch.ones(3, 4)[0, 0, 0]


@error(IndexError, r"too many indices for tensor of dimension 2")
def too_many_indices_after_ellipsis(torch):
    return torch.ones(3, 4)[..., 0, 0, 0]


@error(IndexError, r"index 5 is out of bounds for dimension 0 with size 3")
def index_tensor_out_of_bounds(torch):
    return torch.ones(3, 4)[torch.tensor([0, 5])]


@error(IndexError, r"index 5 is out of bounds for dimension 0 with size 3")
def setitem_out_of_bounds(torch):
    torch.ones(3, 4)[5] = 1.0


@error(IndexError, r"index 7 is out of bounds for dimension 0 with size 3")
def index_put_out_of_bounds(torch):
    return torch.ones(3, 4).index_put_((torch.tensor([7]),), torch.tensor(1.0))


@error(
    TypeError, r"cat\(\): argument 'tensors' \(position 1\) must be tuple of Tensors, not Tensor"
)
def cat_of_a_tensor(torch):
    return torch.cat(torch.ones(2, 2))


@error(RuntimeError, r"Expected size 3 but got size 4 for tensor number 1 in the list")
def cat_sizes(torch):
    return torch.cat([torch.ones(2, 3), torch.ones(2, 4)])


@error(RuntimeError, r"only Tensors of floating point dtype can require gradients")
def requires_grad_of_integers(torch):
    return torch.ones(2, dtype=torch.int64).requires_grad_()


@error(RuntimeError, r"only Tensors of floating point and complex dtype can require gradients")
def requires_grad_set_on_integers(torch):
    t = torch.arange(3)
    t.requires_grad = True
    return t


@error(RuntimeError, r"you can only change requires_grad flags of leaf variables")
def requires_grad_cleared_on_a_result(torch):
    y = torch.ones(2, requires_grad=True) * 2
    y.requires_grad = False
    return y


@error(RuntimeError, r"you can only change requires_grad flags of leaf variables")
def requires_grad_set_on_a_result(torch):
    y = torch.ones(2, requires_grad=True) * 2
    y.requires_grad = True  # even to the value it has
    return y


@program
def requires_grad_set_on_floats(torch):
    x = torch.ones(2, dtype=torch.float64)
    x.requires_grad = True
    y = (x * 3).requires_grad_()  # the method allows True on a result
    y.sum().backward()
    return x.grad, x.is_leaf, y.requires_grad


@error(TypeError, r"argument 'dtype' must be torch.dtype, not str")
def dtype_given_as_a_string(torch):
    return torch.ones(3, dtype="float32")


# ---- tensor() of nested lists that are no block, as PyTorch reads them -----------------------
@error(TypeError, r"not a sequence")
def tensor_of_a_list_and_a_number(torch):
    return torch.tensor([[1, 2], 3])


@error(TypeError, r"'list' object cannot be interpreted as an integer")
def tensor_of_a_number_and_a_list(torch):
    return torch.tensor([1, [2]])


@error(ValueError, r"expected sequence of length 2 at dim 1 \(got 1\)")
def tensor_of_ragged_rows(torch):
    return torch.tensor([[1, 2], [3]])


@error(ValueError, r"expected sequence of length 1 at dim 2 \(got 2\)")
def tensor_ragged_deeper(torch):
    return torch.tensor([[[1], [2]], [[3], [4, 5]]])


@error(ValueError, r"too many dimensions 'str'")
def tensor_of_strings(torch):
    return torch.tensor(["a", "b"])


@error(TypeError, r"new\(\): invalid data type 'str'")
def tensor_of_a_number_and_a_string(torch):
    return torch.tensor([1, "a"])


@error(RuntimeError, r"Trying to create tensor with negative dimension -2: \[2, -2\]")
def repeat_negative_count(torch):
    return torch.ones(2).repeat(2, -1)


@error(TypeError, r"full\(\): argument 'fill_value' \(position 2\) must be Number, not str")
def full_with_a_string(torch):
    return torch.full((2,), "a")


@error(RuntimeError, r"The size of tensor a \(2\) must match the size of tensor b \(3\)")
def masked_select_mask_does_not_broadcast(torch):
    return torch.masked_select(torch.ones(3), torch.tensor([True, False]))


# ---- pooling and backward in PyTorch's words -------------------------------------------------
@error(RuntimeError, r"non-empty 3D or 4D \(batch mode\) tensor expected for input")
def max_pool2d_of_a_matrix(torch):
    return torch.nn.functional.max_pool2d(torch.ones(4, 4), 2)


@error(RuntimeError, r"Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1")
def avg_pool1d_of_a_vector(torch):
    return torch.nn.functional.avg_pool1d(torch.ones(4), 2)


@error(RuntimeError, r"Expected 2D or 3D \(batch mode\) tensor with optional 0 dim batch size")
def max_pool1d_of_a_vector(torch):
    return torch.nn.functional.max_pool1d(torch.ones(4), 2)


@error(RuntimeError, r"Given input size: \(1x2x2\). Calculated output size: \(1x0x0\). Output size is too small")  # fmt: skip
def max_pool2d_window_larger_than_input(torch):
    return torch.nn.functional.max_pool2d(torch.ones(1, 1, 2, 2), 3)


@error(RuntimeError, r"max_pool1d\(\) Invalid computed output size: 0")
def max_pool1d_window_larger_than_input(torch):
    return torch.nn.functional.max_pool1d(torch.ones(1, 2), 3)


@error(RuntimeError, r"stride should not be zero")
def avg_pool2d_stride_zero(torch):
    return torch.nn.functional.avg_pool2d(torch.ones(1, 1, 4, 4), 2, 0)


@error(RuntimeError, r"grad_output\[0\] has a shape of torch.Size\(\[4\]\) and output\[0\] has a shape of torch.Size\(\[\]\)")  # fmt: skip
def backward_gradient_of_another_shape(torch):
    torch.ones(3, requires_grad=True).sum().backward(torch.ones(4))


@error(RuntimeError, r"Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape \[4\] and input of shape \[2, 6, 3\]")  # fmt: skip
def group_norm_weight_size(torch):
    return torch.nn.functional.group_norm(torch.ones(2, 6, 3), 2, torch.ones(4))


@error(RuntimeError, r"Expected weight to be of same shape as normalized_shape, but got weight of shape \[4\] and normalized_shape = \[3\]")  # fmt: skip
def layer_norm_weight_size(torch):
    return torch.nn.functional.layer_norm(torch.ones(2, 3), (3,), torch.ones(4))
