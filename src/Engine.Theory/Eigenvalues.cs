using System.Numerics;

namespace Engine.Theory;

/// <summary>
/// Eigenvalues of a general real matrix: reduction to upper Hessenberg form by stabilised
/// elimination, then the shifted QR algorithm (the classic elmhes/hqr pair of EISPACK and
/// Numerical Recipes). Indices below are 1-based on purpose, as in those sources, which keeps
/// the port checkable line by line.
/// </summary>
public static class Eigenvalues
{
    /// <summary>The eigenvalues of an n x n matrix, largest modulus first.</summary>
    public static Complex[] Of(double[] matrix, int n)
    {
        var a = new double[n + 1, n + 1];
        for (int i = 1; i <= n; i++)
        {
            for (int j = 1; j <= n; j++)
            {
                a[i, j] = matrix[(i - 1) * n + (j - 1)];
            }
        }
        ReduceToHessenberg(a, n);
        var real = new double[n + 1];
        var imaginary = new double[n + 1];
        HessenbergQr(a, n, real, imaginary);
        var result = new Complex[n];
        for (int i = 1; i <= n; i++)
        {
            result[i - 1] = new Complex(real[i], imaginary[i]);
        }
        return result;
    }

    /// <summary>The largest modulus.</summary>
    public static double SpectralRadius(Complex[] eigenvalues)
    {
        double radius = 0;
        foreach (var value in eigenvalues)
        {
            radius = Math.Max(radius, value.Magnitude);
        }
        return radius;
    }

    private static void ReduceToHessenberg(double[,] a, int n)
    {
        for (int m = 2; m < n; m++)
        {
            double x = 0;
            int i = m;
            for (int j = m; j <= n; j++)
            {
                if (Math.Abs(a[j, m - 1]) > Math.Abs(x))
                {
                    x = a[j, m - 1];
                    i = j;
                }
            }
            if (i != m)
            {
                for (int j = m - 1; j <= n; j++)
                {
                    (a[i, j], a[m, j]) = (a[m, j], a[i, j]);
                }
                for (int j = 1; j <= n; j++)
                {
                    (a[j, i], a[j, m]) = (a[j, m], a[j, i]);
                }
            }
            if (x != 0)
            {
                for (i = m + 1; i <= n; i++)
                {
                    double y = a[i, m - 1];
                    if (y != 0)
                    {
                        y /= x;
                        a[i, m - 1] = y;
                        for (int j = m; j <= n; j++)
                        {
                            a[i, j] -= y * a[m, j];
                        }
                        for (int j = 1; j <= n; j++)
                        {
                            a[j, m] += y * a[j, i];
                        }
                    }
                }
            }
        }
    }

    private static double Sign(double magnitude, double sign) => sign >= 0 ? Math.Abs(magnitude) : -Math.Abs(magnitude);

    private static void HessenbergQr(double[,] a, int n, double[] wr, double[] wi)
    {
        int nn, m, l, k, j, its, i, mmin;
        double z = 0, y, x, w, v, u, t, s, r = 0, q = 0, p = 0, anorm = 0;
        for (i = 1; i <= n; i++)
        {
            for (j = Math.Max(i - 1, 1); j <= n; j++)
            {
                anorm += Math.Abs(a[i, j]);
            }
        }
        nn = n;
        t = 0;
        while (nn >= 1)
        {
            its = 0;
            do
            {
                for (l = nn; l >= 2; l--)
                {
                    s = Math.Abs(a[l - 1, l - 1]) + Math.Abs(a[l, l]);
                    if (s == 0)
                    {
                        s = anorm;
                    }
                    if (Math.Abs(a[l, l - 1]) + s == s)
                    {
                        a[l, l - 1] = 0;
                        break;
                    }
                }
                x = a[nn, nn];
                if (l == nn)
                {
                    wr[nn] = x + t;
                    wi[nn--] = 0;
                }
                else
                {
                    y = a[nn - 1, nn - 1];
                    w = a[nn, nn - 1] * a[nn - 1, nn];
                    if (l == nn - 1)
                    {
                        p = 0.5 * (y - x);
                        q = p * p + w;
                        z = Math.Sqrt(Math.Abs(q));
                        x += t;
                        if (q >= 0)
                        {
                            z = p + Sign(z, p);
                            wr[nn - 1] = wr[nn] = x + z;
                            if (z != 0)
                            {
                                wr[nn] = x - w / z;
                            }
                            wi[nn - 1] = wi[nn] = 0;
                        }
                        else
                        {
                            wr[nn - 1] = wr[nn] = x + p;
                            wi[nn - 1] = -(wi[nn] = z);
                        }
                        nn -= 2;
                    }
                    else
                    {
                        if (its == 60)
                        {
                            throw new InvalidOperationException("eigenvalues: the QR iteration did not converge");
                        }
                        if (its == 10 || its == 20)
                        {
                            // Exceptional shift.
                            t += x;
                            for (i = 1; i <= nn; i++)
                            {
                                a[i, i] -= x;
                            }
                            s = Math.Abs(a[nn, nn - 1]) + Math.Abs(a[nn - 1, nn - 2]);
                            y = x = 0.75 * s;
                            w = -0.4375 * s * s;
                        }
                        ++its;
                        for (m = nn - 2; m >= l; m--)
                        {
                            z = a[m, m];
                            r = x - z;
                            s = y - z;
                            p = (r * s - w) / a[m + 1, m] + a[m, m + 1];
                            q = a[m + 1, m + 1] - z - r - s;
                            r = a[m + 2, m + 1];
                            s = Math.Abs(p) + Math.Abs(q) + Math.Abs(r);
                            p /= s;
                            q /= s;
                            r /= s;
                            if (m == l)
                            {
                                break;
                            }
                            u = Math.Abs(a[m, m - 1]) * (Math.Abs(q) + Math.Abs(r));
                            v = Math.Abs(p) * (Math.Abs(a[m - 1, m - 1]) + Math.Abs(z) + Math.Abs(a[m + 1, m + 1]));
                            if (u + v == v)
                            {
                                break;
                            }
                        }
                        for (i = m + 2; i <= nn; i++)
                        {
                            a[i, i - 2] = 0;
                            if (i != m + 2)
                            {
                                a[i, i - 3] = 0;
                            }
                        }
                        for (k = m; k <= nn - 1; k++)
                        {
                            if (k != m)
                            {
                                p = a[k, k - 1];
                                q = a[k + 1, k - 1];
                                r = 0;
                                if (k != nn - 1)
                                {
                                    r = a[k + 2, k - 1];
                                }
                                if ((x = Math.Abs(p) + Math.Abs(q) + Math.Abs(r)) != 0)
                                {
                                    p /= x;
                                    q /= x;
                                    r /= x;
                                }
                            }
                            if ((s = Sign(Math.Sqrt(p * p + q * q + r * r), p)) != 0)
                            {
                                if (k == m)
                                {
                                    if (l != m)
                                    {
                                        a[k, k - 1] = -a[k, k - 1];
                                    }
                                }
                                else
                                {
                                    a[k, k - 1] = -s * x;
                                }
                                p += s;
                                x = p / s;
                                y = q / s;
                                z = r / s;
                                q /= p;
                                r /= p;
                                for (j = k; j <= nn; j++)
                                {
                                    p = a[k, j] + q * a[k + 1, j];
                                    if (k != nn - 1)
                                    {
                                        p += r * a[k + 2, j];
                                        a[k + 2, j] -= p * z;
                                    }
                                    a[k + 1, j] -= p * y;
                                    a[k, j] -= p * x;
                                }
                                mmin = nn < k + 3 ? nn : k + 3;
                                for (i = l; i <= mmin; i++)
                                {
                                    p = x * a[i, k] + y * a[i, k + 1];
                                    if (k != nn - 1)
                                    {
                                        p += z * a[i, k + 2];
                                        a[i, k + 2] -= p * r;
                                    }
                                    a[i, k + 1] -= p * q;
                                    a[i, k] -= p;
                                }
                            }
                        }
                    }
                }
            }
            while (l < nn - 1);
        }
    }
}
