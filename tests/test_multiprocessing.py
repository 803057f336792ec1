"""Tensors in shared memory (Tensor.share_memory_, Module.share_memory) and tensors crossing
process boundaries through minitorch.multiprocessing: Hogwild-style training where children
update the parent's parameters, with fork and with spawn, and queues that share memory."""

from __future__ import annotations

import multiprocessing
import pickle
from multiprocessing.reduction import ForkingPickler

import numpy as np
import pytest

import minitorch
from minitorch import nn


def test_share_memory_moves_the_tensor_and_its_views():
    t = minitorch.arange(6.0)
    view, later = t[2:], None
    assert not t.is_shared() and t.share_memory_() is t
    later = t[:3]
    assert t.is_shared() and view.is_shared() and later.is_shared()
    view.add_(10)  # the views still look at the tensor's memory
    assert t.tolist() == [0.0, 1.0, 12.0, 13.0, 14.0, 15.0]
    data = t._data
    assert t.share_memory_() is t and t._data is data  # already shared: nothing moves
    part = minitorch.ones(4)[1:]
    part.share_memory_()
    assert part.is_shared() and part.tolist() == [1.0, 1.0, 1.0]


def test_share_memory_keeps_a_strided_layout_and_its_views():
    t = minitorch.arange(12.0).reshape(3, 4).t()  # a tensor of its own, not contiguous
    view = t[1:]
    strides = t.stride()
    t.share_memory_()
    assert t.is_shared() and view.is_shared() and t.stride() == strides
    view.mul_(10)
    assert t[1].tolist() == [10.0, 50.0, 90.0] and t[0].tolist() == [0.0, 4.0, 8.0]
    empty = minitorch.ones(0, 3).share_memory_()
    assert empty.is_shared() and tuple(empty.shape) == (0, 3)


def test_module_share_memory_covers_parameters_grads_and_buffers():
    net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    net[0].weight.grad = minitorch.ones(2, 3)
    assert net.share_memory() is net
    assert all(p.is_shared() for p in net.parameters())
    assert all(b.is_shared() for b in net.buffers())
    assert net[0].weight.grad.is_shared() and isinstance(net[0].weight, nn.Parameter)


def test_plain_pickle_copies_a_shared_tensor_into_private_memory():
    t = pickle.loads(pickle.dumps(minitorch.ones(2).share_memory_()))
    assert not t.is_shared() and t.tolist() == [1.0, 1.0]


def _train(rank: int, model: nn.Module, steps: int) -> None:
    """A child's share of Hogwild training: SGD on the shared parameters."""
    opt = minitorch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    c = minitorch.full((2, 3), float(rank + 1))
    for _ in range(steps):
        opt.zero_grad()
        loss = (model.weight * c).sum() + model.bias.sum() * (rank + 1) + (model.weight**2).sum()
        loss.backward()
        opt.step()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_children_train_the_parents_shared_model(method):
    minitorch.manual_seed(0)
    model = nn.Linear(3, 2)
    reference = nn.Linear(3, 2)
    reference.load_state_dict(model.state_dict())
    model.share_memory()
    context = multiprocessing.get_context(method)
    for rank in range(2):  # one after the other: the result does not depend on timing
        child = context.Process(target=_train, args=(rank, model, 3))
        child.start()
        child.join()
        assert child.exitcode == 0
        _train(rank, reference, 3)  # the same training in this process
    for mine, want in zip(model.parameters(), reference.parameters()):
        np.testing.assert_array_equal(mine.detach().numpy(), want.detach().numpy())
    assert not np.allclose(model.bias.detach().numpy(), nn.Linear(3, 2).bias.detach().numpy())


def _double_in_place(inbox, outbox) -> None:
    t = inbox.get()
    t.mul_(2)
    outbox.put(t.sum().item())  # a tensor would need this process alive until it is received


def test_a_tensor_sent_through_a_queue_is_shared_with_the_receiver():
    context = multiprocessing.get_context("spawn")
    inbox, outbox = context.Queue(), context.Queue()
    t = minitorch.arange(4.0)
    child = context.Process(target=_double_in_place, args=(inbox, outbox))
    child.start()
    inbox.put(t)
    answer = outbox.get(timeout=60)
    child.join(60)
    assert child.exitcode == 0 and answer == 12.0
    assert t.is_shared() and t.tolist() == [0.0, 2.0, 4.0, 6.0]  # the child wrote into it


def test_a_result_with_history_cannot_cross_processes():
    y = minitorch.ones(2, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="Cowardly refusing to serialize non-leaf tensor"):
        ForkingPickler.dumps(y)  # what Queue.put and Process arguments use
