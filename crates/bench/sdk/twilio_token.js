// One enrollment access token through twilio-node, against the base URL in argv[2] (the
// benchmark's loopback stand-in): the cold-start comparison for the verify-push CLI.
const twilio = require("twilio");

const [baseUrl, service, identity] = process.argv.slice(2);
const client = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);
// Each domain (client.verify) sends to its own baseUrl; the request URL is baseUrl + path.
client.verify.baseUrl = baseUrl;
client.verify.v2
  .services(service)
  .accessTokens.create({ identity, factorType: "push" })
  .then((token) => console.log(token.sid))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
