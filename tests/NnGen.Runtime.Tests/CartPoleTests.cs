using System;
using System.Linq;
using NnGen.Samples.CartPole;
using NnGen.Testing;
using Xunit;

namespace NnGen.Runtime.Tests
{
    /// <summary>
    /// samples/CartPole: the environment behaves like CartPole-v1 (a uniformly random policy lasts about 22
    /// steps), a short seeded run learns far beyond that, and an episode, acting and learning, allocates nothing.
    /// </summary>
    public sealed class CartPoleTests
    {
        [Fact]
        public void A_random_policy_lasts_about_22_steps_as_in_CartPole_v1()
        {
            var environment = new CartPoleEnvironment(seed: 11);
            var random = new Random(12);
            var state = new float[CartPoleEnvironment.StateSize];
            double total = 0;
            const int Episodes = 2000;
            for (int episode = 0; episode < Episodes; episode++)
            {
                environment.Reset(state);
                while (!environment.Step(random.Next(2), state))
                {
                }

                total += environment.Steps;
            }

            Assert.InRange(total / Episodes, 19.0, 25.0);
        }

        [Fact]
        public void Pushing_one_way_tips_the_pole_within_a_dozen_steps()
        {
            var environment = new CartPoleEnvironment(seed: 1);
            var state = new float[CartPoleEnvironment.StateSize];
            environment.Reset(state);
            while (!environment.Step(1, state))
            {
            }

            // The cart accelerates right, so the pole falls left past 12°, long before the cart reaches 2.4 m.
            Assert.InRange(environment.Steps, 7, 12);
            Assert.True(state[2] < -0.2, $"θ = {state[2]}");
            Assert.True(state[0] > 0 && state[0] < 2.4, $"x = {state[0]}");
        }

        [Fact]
        public void A_short_seeded_run_learns_far_beyond_a_random_policy()
        {
            var agent = new Agent(seed: 3);
            int[] returns = Enumerable.Range(0, 250).Select(_ => agent.RunEpisode()).ToArray();

            double first = returns.Take(20).Average();
            double last = returns.Skip(200).Average();
            Assert.True(first < 60, $"the untrained policy already lasted {first} steps");
            Assert.True(last > 150, $"after 200 episodes the mean return is {last}, little above a random policy's ~22");
        }

        [Fact]
        public void An_episode_of_acting_and_learning_allocates_nothing()
        {
            var agent = new Agent(seed: 5);
            for (int i = 0; i < 30; i++)
            {
                agent.RunEpisode();
            }

            Assert.Equal(0, Allocations.Least(() =>
            {
                for (int i = 0; i < 20; i++)
                {
                    agent.RunEpisode();
                }
            }));
        }
    }
}

namespace NnGen.Runtime.Tests
{
    /// <summary>Optimizer.Step: the runtime's optimisers in a training loop of one's own.</summary>
    public sealed class OptimizerStepTests
    {
        [Fact]
        public void Sgd_step_is_the_generated_step()
        {
            var a = new TinyNet();
            var b = new TinyNet();
            a.InitializeParameters(2);
            b.InitializeParameters(2);
            double[] x = { 0.3, -0.2 }, t = { 0.5, 0.1 };
            a.Accumulate(x, t);
            a.Accumulate(t, x);
            b.Accumulate(x, t);
            b.Accumulate(t, x);

            a.Step(0.1);
            Optimizer.Sgd().Step(b, 0.1);

            Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
            Assert.Equal(0, b.AccumulatedSamples);
            Assert.All(b.Gradients.ToArray(), g => Assert.Equal(0.0, g));
        }

        [Fact]
        public void Adam_moves_every_parameter_by_about_the_rate_on_its_first_step()
        {
            var net = new TinyNet();
            net.InitializeParameters(4);
            net.Accumulate(new[] { 0.3, -0.2 }, new[] { 2.0, -1.0 });
            double[] before = net.Parameters.ToArray();
            double[] gradients = net.Gradients.ToArray();

            Optimizer.Adam().Step(net, 0.01);

            for (int i = 0; i < before.Length; i++)
            {
                double expected = gradients[i] == 0 ? 0 : -0.01 * Math.Sign(gradients[i]);
                Assert.Equal(expected, net.Parameters[i] - before[i], 6);
            }
        }

        [Theory]
        [InlineData("sgd", double.NaN)]
        [InlineData("momentum", double.PositiveInfinity)]
        [InlineData("adam", double.NegativeInfinity)]
        [InlineData("adam", double.NaN)]
        public void A_gradient_that_is_not_finite_is_refused_and_changes_nothing(string kind, double bad)
        {
            // A policy gradient of one's own with a log of 0 in it: before, the step made the parameters NaN (and Adam's
            // moments with them), and the agent's every output after.
            Optimizer optimizer = kind switch { "sgd" => Optimizer.Sgd(), "momentum" => Optimizer.Momentum(), _ => Optimizer.Adam() };
            var net = new TinyNet();
            var twin = new TinyNet();
            Optimizer twinOptimizer = kind switch { "sgd" => Optimizer.Sgd(), "momentum" => Optimizer.Momentum(), _ => Optimizer.Adam() };
            foreach (TinyNet n in new[] { net, twin })
            {
                n.InitializeParameters(5);
            }

            // One good step on both, so that momentum and Adam hold state.
            double[] x = { 0.4, -0.1 };
            net.AccumulateGradient(x, new[] { 0.5, -0.25 });
            optimizer.Step(net, 0.05);
            twin.AccumulateGradient(x, new[] { 0.5, -0.25 });
            twinOptimizer.Step(twin, 0.05);
            double[] before = net.Parameters.ToArray();

            net.AccumulateGradient(x, new[] { bad, 0.1 });
            TrainingDivergedException error = Assert.Throws<TrainingDivergedException>(() => optimizer.Step(net, 0.05));
            Assert.Contains("a gradient is not a finite number", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, net.Parameters.ToArray());
            Assert.Equal(0, net.AccumulatedSamples);
            Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0.0, g));

            // The loop goes on as if the bad sample had never come: the state was not touched either.
            net.AccumulateGradient(x, new[] { -0.3, 0.2 });
            optimizer.Step(net, 0.05);
            twin.AccumulateGradient(x, new[] { -0.3, 0.2 });
            twinOptimizer.Step(twin, 0.05);
            Assert.Equal(twin.Parameters.ToArray(), net.Parameters.ToArray());
        }

        [Fact]
        public void A_step_without_samples_or_with_a_bad_rate_is_refused()
        {
            var net = new TinyNet();
            net.InitializeParameters(1);
            double[] before = net.Parameters.ToArray();
            Assert.Throws<InvalidOperationException>(() => Optimizer.Adam().Step(net, 0.01));
            net.Accumulate(new[] { 0.1, 0.2 }, new[] { 0.3, 0.4 });
            Assert.Throws<ArgumentOutOfRangeException>(() => Optimizer.Adam().Step(net, double.NaN));
            Assert.Throws<ArgumentNullException>(() => Optimizer.Adam().Step<double>(null!, 0.01));
            Assert.Equal(before, net.Parameters.ToArray());
        }
    }
}
