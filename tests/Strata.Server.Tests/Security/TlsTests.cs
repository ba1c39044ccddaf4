using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Security;

/// <summary>HTTPS on ssl-port with an ssl-cert PEM holding certificate and key, as 0.8 configures it.</summary>
public class TlsTests
{
    [Fact]
    public async Task Https_ServesTheApiWithThePemCertificate()
    {
        var pem = Path.Combine(Path.GetTempPath(), $"strata-{Guid.NewGuid():N}.pem");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());
        }

        try
        {
            await using var server = await TestServer.StartAsync(o => o with { SslCert = pem, SslPort = 1 });
            server.Host.HttpsAddress.ShouldNotBeNull();
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Subject == "CN=127.0.0.1" };
            using var client = new HttpClient(handler) { BaseAddress = server.Host.HttpsAddress };
            using var ping = await client.GetAsync("/ping");
            ping.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var databases = await client.GetAsync(TestServer.Auth("/db"));
            (await databases.Content.ReadAsStringAsync()).ShouldBe("[]");
        }
        finally
        {
            File.Delete(pem);
        }
    }
}
