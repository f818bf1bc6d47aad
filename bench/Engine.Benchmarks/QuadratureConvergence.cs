using System.Globalization;
using Engine.Core.Specs;
using Engine.Theory;

namespace Engine.Benchmarks;

/// <summary>
/// quadrature-convergence [d=2] [fine=100]: the finite-K quadratic curated moments of
/// QuadratureCuration with n nodes per dimension against a much finer rule, by sharpness
/// beta x lambda_max(Sigma) (Gershgorin bound) and K: the largest error over the mean and
/// covariance entries. The validation behind the node counts the theory uses.
/// </summary>
internal static class QuadratureConvergence
{
    private static readonly double[][] Means = [[0.3], [0.3, -0.2], [0.3, -0.2, 0.5]];
    private static readonly double[][] Covs = [[1.2], [1.2, 0.3, 0.3, 0.8], [1.2, 0.3, 0.1, 0.3, 0.8, -0.2, 0.1, -0.2, 1.0]];
    private static readonly double[] Bounds = [1.2, 1.5, 1.6];

    public static void Run(string[] args)
    {
        int d = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        int fine = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
        int[] counts = d == 1 ? [8, 12, 16, 24, 32, 48, 64, 96] : d == 2 ? [8, 12, 16, 20, 24, 32, 40, 48, 64] : [6, 8, 10, 12, 16, 20, 24, 32];
        var template = SpecLoader.Parse("""
            dimension = 1
            rounds = 2
            burn_in = 1
            replicates = 2
            seed = 1

            [[model]]
            name = "m"
            n = 4
            covariance = "full"
            real_mean = [0.0]
            real_cov = [[1.0]]
            reward = "quadratic"
            reward_center = [0.0]
            beta = 1.0
            k = 4
            weights = { real = 0.5, curated = 0.5 }
            """, "q.toml").Models[0];
        Console.WriteLine($"d = {d}, against {fine} nodes per dimension: largest error over the curated mean and covariance");
        Console.WriteLine();
        Console.WriteLine("| sharpness | K | " + string.Join(" | ", counts.Select(n => n.ToString(CultureInfo.InvariantCulture))) + " |");
        Console.WriteLine("| ---: | ---: | " + string.Join(" | ", counts.Select(_ => "---:")) + " |");
        foreach (double sharpness in new[] { 0.25, 0.5, 1.0, 2.0, 3.0, 4.0 })
        {
            foreach (int k in new[] { 2, 4, 16 })
            {
                var model = template with { RewardVector = [.. new[] { 0.5, 0.5, -0.5 }.Take(d)], Beta = sharpness / Bounds[d - 1], K = k };
                var mean = Means[d - 1].Select(v => new Real(v)).ToArray();
                var cov = Covs[d - 1].Select(v => new Real(v)).ToArray();
                var (fineMean, fineCov) = QuadratureCuration.Of(model, mean, cov, fine);
                var row = new List<string>();
                foreach (int n in counts)
                {
                    var (m, c) = QuadratureCuration.Of(model, mean, cov, n);
                    double error = 0;
                    for (int i = 0; i < d; i++)
                    {
                        error = Math.Max(error, Math.Abs(m[i].Value - fineMean[i].Value));
                    }
                    for (int i = 0; i < d * d; i++)
                    {
                        error = Math.Max(error, Math.Abs(c[i].Value - fineCov[i].Value));
                    }
                    row.Add(error.ToString("E1", CultureInfo.InvariantCulture));
                }
                Console.WriteLine($"| {sharpness} | {k} | " + string.Join(" | ", row) + " |");
            }
        }
    }
}
